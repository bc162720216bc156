"""Data, preprocessing, models, training and evaluation for sentisite; imports nothing from Django."""
