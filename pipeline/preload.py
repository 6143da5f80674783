"""What the build's fork server loads once, so that every worker it forks shares it.

Workers are forked from the fork server (see :mod:`pipeline.executors`). What the server
has loaded before the first fork is shared between the workers page by page until one of
them writes to it: the converter's modules and its English word list (a dictionary of
some 320,000 words, about 26 MB, only ever read, and looked up without writing to its
words: see :mod:`pipeline.convert.wordlist`) are loaded here, once, instead of in every
worker.
Saxon is never started here: it must not be used in a forked process, so each worker starts
its own after the fork.
"""

from __future__ import annotations

import gc

import pipeline.convert  # noqa: F401 - the converter's modules and compiled expressions
from pipeline.convert.glued import word_list

word_list("en")
# keep the garbage collector from touching (and so copying) these objects in the workers
gc.freeze()
