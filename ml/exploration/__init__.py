"""Explore the IMDB reviews: balance, lengths, vocabulary coverage, n-grams and polarizing words.

`python -m ml.exploration` (ml.exploration.command) writes the figures and insights.json, typed by
ml.inference.insights, which the Insights page reads; nothing is imported here, so reading the result
does not load numpy's statistics or matplotlib."""
