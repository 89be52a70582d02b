"""Where the desk's shipped data lives, named once.

Modules used to locate the repository with ``Path(__file__).parents[1]`` each
on their own; a moved module then silently read from the wrong folder. Every
shipped file the code reads is named here, relative to one root.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"

#: the demo negotiation: mandate, proposal, comparable contracts, stand-in sample
DEMO_DIR = DATA_DIR / "demo"
#: the clause taxonomy (CUAD's categories plus the desk's AI-data ones), with descriptions
TAXONOMY_PATH = DATA_DIR / "taxonomy" / "categories.json"
#: the trained clause model and the embedding tokenizer
MODELS_DIR = DATA_DIR / "models"
CLAUSE_MODEL_PATH = MODELS_DIR / "clause_model.npz"
TOKENIZER_PATH = MODELS_DIR / "minilm-tokenizer.json"
#: the public AI-deal table with its sources, and exchange rates
DEALS_DIR = DATA_DIR / "deals"
DEALS_CSV = DEALS_DIR / "ai_data_deals.csv"
FX_RATES = DEALS_DIR / "fx_rates.json"
#: training examples and evaluation sets with their truth
TRAINING_DIR = DATA_DIR / "training"
EVALUATION_DIR = DATA_DIR / "evaluation"
SEARCH_QUESTIONS_DIR = DATA_DIR / "search"
#: the shared data beside the repository (CUAD, ContractNLI, contract PDFs): for training and benchmarks only
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
CUAD_TRAIN = SHARED_DATA_DIR / "cuad" / "cuad_train.jsonl"
#: the Streamlit pages (declared by ``desk/app.py``)
PAGES_DIR = REPO_ROOT / "pages"
