-- Actor pages and filters ask "which articles mention this actor": index it with the article.
CREATE INDEX mentions_actor_article ON mentions(actor, article_rowid);
