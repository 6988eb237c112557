# Spanish as written in the United States (and Mexico): 1,234.5, not Spain's 1 234,5. Our
# teachers read district documents, gradebooks and test scores printed that way. Everything
# else (dates such as "15 de diciembre de 2026") comes from Django's own "es" formats.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# Short dates spelled with the month ("1 dic 2026"): a US reader takes 01/12/2026 for
# January 12, a Spanish one for December 1.
SHORT_DATE_FORMAT = "j b Y"  # b: the month in lower case, as Spanish writes it
SHORT_DATETIME_FORMAT = "j b Y H:i"
