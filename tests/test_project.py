"""The README's commands, CI and the repository's promises (no CDN, pinned dependencies)."""

from __future__ import annotations

import ast
import re
import subprocess

from tests.conftest import ROOT

CDN = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.cloudflare|code\.jquery\.com|maxcdn\.|netdna\.|d3js\.org|fonts\.googleapis")


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", readme)


def test_readme_has_exactly_two_commands_and_ci_runs_the_test_one():
    install_run, test = _readme_commands()
    assert install_run == "pip install -r requirements.txt && streamlit run dashboard.py"
    assert "python -m pytest" in test and "apt-get install -y chromium postgresql postgis" in test and "python -m mypy" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_dependencies_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert re.match(r"^[A-Za-z0-9_.\-\[\]]+==[0-9][\w.]*$", line), f"{name}: {line}"


def test_no_cdn_links_in_what_the_app_ships():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    shipped = [f for f in files if f.endswith((".py", ".js", ".css", ".html", ".toml")) and not f.startswith("tests/")]
    assert shipped
    for f in shipped:
        assert not CDN.search((ROOT / f).read_text(encoding="utf-8")), f


def test_readme_documents_the_event_model_as_it_is():
    from incidents.model.schema import markdown_table

    assert markdown_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def _tracked(*suffixes: str) -> list[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [f for f in files if f.endswith(suffixes) and (ROOT / f).is_file()]


def _imports(path: str) -> set[str]:
    """Every module ``path`` imports, anywhere in it (top-level names: ``streamlit``, ``layers``, ...)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_imports_flow_one_way():
    """The event model knows nothing of the UI or the map; the layer builders nothing of Streamlit."""
    model = [f for f in _tracked(".py") if f.startswith("incidents/")]
    builders = [f for f in _tracked(".py") if f.startswith("layers/")]
    assert len(model) > 10 and len(builders) > 5
    for f in model:
        assert not _imports(f) & {"streamlit", "streamlit_folium", "folium", "branca", "layers", "views"}, f
    for f in builders:
        assert not _imports(f) & {"streamlit", "streamlit_folium", "views"}, f


def test_modules_stay_small_and_the_page_thin():
    sizes = {f: len((ROOT / f).read_text(encoding="utf-8").splitlines()) for f in _tracked(".py", ".js")}
    too_long = {f: n for f, n in sizes.items() if not f.startswith("tests/") and n > (350 if f.endswith(".js") else 400)}
    assert too_long == {}
    assert sizes["dashboard.py"] <= 150
