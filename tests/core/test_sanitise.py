"""The XSS corpus: whatever a teacher types, nothing executable reaches the page.

Each entry goes through clean_text (the way in) and render_text (the way out); the
output is parsed with html.parser and must contain no element other than <a>, no
attribute other than href/rel, no on* handler, and only http/https/mailto hrefs.
"""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from core.sanitise import (
    TextTooLong,
    clean_name,
    clean_text,
    render_text,
    to_plain_text,
    word_count,
)

XSS_CORPUS = [
    # script tags, in every spelling
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<script/xss src=//evil.example></script>",
    "</textarea><script>alert(1)</script>",
    # event handlers
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">click</a>',
    "<div onmouseover='alert(1)'>hover</div>",
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    # dangerous URL schemes, typed bare and inside markup
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "vbscript:msgbox(1)",
    '<a href="vbscript:msgbox(1)">x</a>',
    "see https://example.org/?q=<script>alert(1)</script>",
    'https://example.org/" onmouseover="alert(1)',
    "https://example.org/'onmouseover='alert(1)",
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<math href="javascript:alert(1)">x</math>',
    # broken and nested markup
    "<img src=x onerror=alert(1)//",
    "<<script>alert(1);//<</script>",
    '<a href="https://ok.example"<script>alert(1)</script>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<p <script>alert(1)</script>>",
    # entity tricks and double encoding
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6a;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
    # style attributes and tags
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{background:url('javascript:alert(1)')}</style>",
    '<div style="width: expression(alert(1))">x</div>',
    # iframes, objects, forms and friends
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # control characters and null bytes
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "java\x00script:alert(1)",
]


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements_in(fragment: str) -> list[tuple[str, dict]]:
    parser = ElementCollector()
    parser.feed(fragment)
    parser.close()
    return parser.elements


def assert_nothing_executable(fragment: str) -> None:
    for tag, attrs in elements_in(fragment):
        assert tag in {"a", "br"}, f"element <{tag}> survived: {fragment!r}"
        assert not any(name.startswith("on") for name in attrs), fragment
        if tag == "a":
            assert set(attrs) <= {"href", "rel"}, fragment
            assert attrs["rel"] == "nofollow noopener", fragment
            # bleach drops a disallowed href and keeps a harmless <a> without one
            scheme = attrs.get("href", "http:").split(":", 1)[0].lower()
            assert scheme in {"http", "https", "mailto"}, fragment


@pytest.mark.parametrize("typed", XSS_CORPUS)
def test_nothing_executable_survives_cleaning_and_rendering(typed):
    stored = clean_text(typed)
    assert_nothing_executable(stored)
    assert_nothing_executable(render_text(stored))


@pytest.mark.parametrize("stored", XSS_CORPUS)
def test_rendering_rechecks_text_that_never_went_through_clean_text(stored):
    # A row written by some other path (an import, a shell) still cannot inject markup.
    assert_nothing_executable(render_text(stored))


@pytest.mark.parametrize("typed", XSS_CORPUS)
def test_the_teacher_gets_back_exactly_what_they_typed(typed):
    expected = typed.replace("\x00", "").strip()
    assert to_plain_text(clean_text(typed)) == expected


def test_web_addresses_become_nofollow_links():
    stored = clean_text("Read https://example.org/gap?x=1&y=2 first")
    assert elements_in(stored) == [
        ("a", {"href": "https://example.org/gap?x=1&y=2", "rel": "nofollow noopener"})
    ]


def test_bare_domains_and_email_addresses_become_links():
    stored = clean_text("www.example.org or write to coach@example.org")
    hrefs = [attrs["href"] for _tag, attrs in elements_in(stored)]
    assert hrefs == ["http://www.example.org", "mailto:coach@example.org"]


@pytest.mark.parametrize("typed", ["ftp://example.org/file", "data:text/html,hi", "file:///etc"])
def test_other_schemes_are_never_linked(typed):
    hrefs = [attrs["href"] for _tag, attrs in elements_in(clean_text(typed))]
    # "ftp://example.org" keeps its text; at most the bare domain becomes an http link
    assert all(href.startswith("http://") for href in hrefs)


def test_typed_angle_brackets_and_ampersands_are_kept_as_text():
    stored = clean_text("x < y & <3 &amp; &#106;")
    assert elements_in(stored) == []
    assert to_plain_text(stored) == "x < y & <3 &amp; &#106;"


def test_line_breaks_are_shown_as_line_breaks():
    assert render_text(clean_text("one\r\ntwo\n\nthree")) == "one<br>\ntwo<br>\n<br>\nthree"


def test_outer_whitespace_and_control_characters_are_dropped():
    assert clean_text("  \x07hello\x0b  \n") == "hello"


def test_empty_text_stays_empty():
    assert clean_text("") == clean_text(None) == ""
    assert render_text("") == ""


def test_text_over_the_limit_is_refused_not_cut():
    with pytest.raises(TextTooLong) as raised:
        clean_text("a" * 11, max_length=10)
    assert "10 characters" in str(raised.value)
    assert clean_text("a" * 10, max_length=10) == "a" * 10


def test_word_count_counts_words_separated_by_any_whitespace():
    assert word_count("one two\nthree\t four  ") == 4
    assert word_count("") == 0


def test_template_filter_renders_stored_text_safely():
    stored = clean_text("<b>hi</b>\nhttps://example.org")
    html = Template("{% load sanitise %}{{ text|render_text }}").render(Context({"text": stored}))
    assert html == (
        '&lt;b&gt;hi&lt;/b&gt;<br>\n<a href="https://example.org" rel="nofollow noopener">'
        "https://example.org</a>"
    )
    assert_nothing_executable(html)


@pytest.mark.parametrize(
    "typed, printed",
    [
        ("  Tess   Teacher \n", "Tess Teacher"),
        # A right-to-left override would print "Tess" as "sseT"; a zero-width space hides.
        ("\u202eTess\u200b Teacher", "Tess Teacher"),
        ("Zoe\u0301 Nuñez", "Zoé Nuñez"),  # composed: the PDF font has the accented letter
        ("<b>Tess</b>", "<b>Tess</b>"),  # plain text: escaped wherever it is shown
        ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # a joiner some scripts need
    ],
)
def test_a_name_is_cleaned_for_printing(typed, printed):
    assert clean_name(typed) == printed
