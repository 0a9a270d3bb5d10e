"""The 25 searches every search benchmark runs (bench.search.run, bench.load.run).

A plain list, importable without Django, so a load client can use it too.
"""

# (name, query string): text only, filters only, text + filters, rare and common terms, deep pages.
MIX = [
    ("newest, no filters", ""),
    ("text: common skill 'python'", "q=python"),
    ("text: 'pytorch'", "q=pytorch"),
    ("text: phrase", 'q="retrieval pipeline"'),
    ("text: rare 'bioinformatics'", "q=bioinformatics"),
    ("text: rare 'lidar'", "q=lidar"),
    ("text: exclusion", "q=kubernetes+-aws"),
    ("text: web syntax", 'q="computer vision" -finance pytorch'),
    ("text: OR", "q=rag+OR+langchain"),
    ("filter: industry", "industry=healthcare-medicine"),
    ("filter: remote worldwide", "workplace=remote&worldwide=1"),
    ("filter: all of 2 skills", "skill=python&skill=pytorch"),
    ("filter: any of 3 skills", "skill=jax&skill=mojo&skill=julia&skills=any"),
    ("filter: country DE", "country=DE"),
    ("filter: salary, sorted by salary", "salary_min=150000&sort=salary"),
    ("filter: seniority + employment", "seniority=senior&employment=contract"),
    ("filter: visa + last 7 days", "visa=1&posted_within=7"),
    (
        "text + filters: engineer, finance, remote",
        "q=engineer&industry=finance-business&workplace=remote",
    ),
    (
        "text + filters: llm, python, US, salary",
        "q=llm&skill=python&country=US&salary_min=120000",
    ),
    ("text + filters: rare + industry", "q=quantization&industry=research-ai-labs"),
    ("deep page by number (page 400)", "page=400"),
    ("deep keyset page (newest)", "after=2026-08-15T00:00:00%2B00:00~400000&page=900"),
    ("deep keyset page (salary)", "sort=salary&after=90000~500000&page=700"),
    ("relevance, page 50 of a common term", "q=python&page=50"),
    ("page out of range", "page=999999"),
]
