"""news-service: Korean company-news search and ESG/sentiment analysis."""

__version__ = "3.0.0"
