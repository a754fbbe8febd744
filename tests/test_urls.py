from newsparallax.urls import article_id, canonical_url, domain_of


def test_canonical_url_drops_tracking_and_normalises() -> None:
    a = "http://WWW.BBC.co.uk/news/world-123/?at_medium=RSS&at_campaign=KARANGA#comments"
    b = "https://bbc.co.uk/news/world-123"
    assert canonical_url(a) == canonical_url(b) == "https://bbc.co.uk/news/world-123"


def test_canonical_url_keeps_content_params_sorted() -> None:
    assert canonical_url("https://x.com/a?b=2&utm_source=t&a=1") == "https://x.com/a?a=1&b=2"
    assert canonical_url("https://x.com/a?id=1") != canonical_url("https://x.com/a?id=2")


def test_canonical_url_ports_and_other_schemes() -> None:
    assert canonical_url("https://x.com:443/p") == "https://x.com/p"
    assert canonical_url("http://x.com:8080/p") == "https://x.com:8080/p"
    assert canonical_url("  ftp://x.com/p ") == "ftp://x.com/p"


def test_domain_of() -> None:
    assert domain_of("https://www.BBC.co.uk/x") == "bbc.co.uk"
    assert domain_of("en.kremlin.ru") == "en.kremlin.ru"
    assert domain_of("telegram:1001101170442") == "telegram:1001101170442"


def test_article_id_is_deterministic() -> None:
    u1 = article_id(url="https://www.reuters.com/a/?utm_source=feed")
    u2 = article_id(url="http://reuters.com/a")
    assert u1 == u2 and len(u1) == 20
    c1 = article_id(url=None, outlet="x", title="T", text="same  text")
    c2 = article_id(url=None, outlet="x", title="T", text="same text")
    assert c1 == c2
    assert c1 != article_id(url=None, outlet="y", title="T", text="same text")
    assert c1 != u1
