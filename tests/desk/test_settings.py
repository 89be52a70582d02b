from pathlib import Path

from desk.settings import load_settings


def test_workspace_precedence(tmp_path):
    env = {"DESK_HOME": str(tmp_path / "home")}
    assert load_settings(tmp_path / "flag", env).workspace == (tmp_path / "flag").resolve()
    assert load_settings(None, env).workspace == (tmp_path / "home").resolve()
    assert load_settings(None, {}).workspace == Path("workspace").resolve()


def test_llm_is_off_unless_configured():
    assert not load_settings("w", {}).llm_enabled
    s = load_settings("w", {"DESK_LLM_BASE_URL": "http://127.0.0.1:11434/v1", "DESK_LLM_MODEL": "llama3"})
    assert s.llm_enabled and s.llm_endpoint_label == "http://127.0.0.1:11434/v1"
    assert "api_key" not in str(s.describe()["llm"].get("api_key", ""))
    keyed = load_settings("w", {"OPENAI_API_KEY": "sk-secret"})
    assert keyed.llm_enabled and "sk-secret" not in str(keyed.describe())
