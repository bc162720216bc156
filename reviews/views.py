"""The review pages; thin: validate, call a service or selector, render."""

from django.shortcuts import render


def home(request):
    return render(request, "reviews/home.html")
