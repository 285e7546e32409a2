"""newslab: the machinery behind the notebooks. Notebooks import `helpers.py`, which imports from here.

Modules, named after what they hold:
  paths       the project's folders and files (ROOT, SEED, METADATA_CSV)
  errors      ArticleError (a bad article file) and warn (a warning that points at the caller)
  nlp         the spaCy pipeline, loaded once; parsing in bounded memory; a parse cache beside the tables
  files       article files and saved web pages: bytes to checked, normalised text and front matter
  metadata    publication date, source and slug: from front matter, data/metadata.csv or the text
  articles    Article and Paragraph: reading an article file, and parsing it with spaCy (notebook 01)
  outputs     where each article's tables and figures go, and how they are written (atomically)
  staging     run.py's locks, staging folders and the all-or-nothing swap of outputs into place
  canonical   the rule that merges the mentions of one referent into one canonical name (notebook 02)
  entities    named entities, their canonical names, label checks and missed names (notebook 02)
  sentiment   TextBlob polarity and subjectivity (notebook 03)
  dates       the date resolver: date expressions as TIMEX3 values (notebook 04)
  timeline    every sentence placed in time (notebook 04)
  cameo       the CAMEO verb dictionary and Goldstein scale as cue tables, and a verb matched to its event (04)
  tension     the tension cues and the tension per sentence and per date (notebook 04)
  compare     every article analysed so far, side by side (notebook 05, run.py)
  corpus      corpus mode: every article's tables on Dask workers into a Parquet store (run.py --corpus)
  corpus_views  the corpus read as a whole: tension per period, names over time, network, tone (notebook 06)
  plots       the notebooks' figures and their one style and palette
  exercises   the checks of the notebooks' "Try it yourself" sections
"""
