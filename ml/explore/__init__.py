"""Explore the IMDB reviews: balance, lengths, vocabulary coverage, n-grams and polarizing words.

`python -m ml.explore` (ml.explore.command) writes the figures and insights.json, typed by
ml.explore.result, which the Insights page reads; nothing is imported here, so reading the result
does not load numpy's statistics or matplotlib."""
