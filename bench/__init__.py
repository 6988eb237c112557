"""`make bench`: time the hot pages against floors measured in the same run.

Not imported by the site: bench settings (pdsite.settings.bench) add this app for its
floor page type only.
"""
