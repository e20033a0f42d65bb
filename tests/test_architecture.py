"""The code's shape: the import graph follows the pipeline's layers (scripts/import_graph.py),
exit codes come from one enum, data paths from one settings module."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from vanban import errors, settings

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "import_graph.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


import_graph = _load_script()


def test_vanban_import_graph_is_a_dag_following_the_layers():
    problems = import_graph.problems(import_graph.build_graph(ROOT / "vanban"))
    assert problems == [], "\n".join(problems)


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "vanban" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "vanban"


def test_import_graph_finds_upward_edges_cycles_and_modules_without_a_layer(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "model.py": "",
        "ocr/__init__.py": "from ..model import x\n",
        # an upward edge hidden inside a function still counts
        "ocr/engine.py": "def f():\n    from vanban.normalize import lm\n",
        "normalize/__init__.py": "",
        "normalize/lm.py": "from . import channel\n",
        "normalize/channel.py": "from .lm import table\n",
        "extract/__init__.py": "import vanban.ocr.engine\nfrom vanban import model\n",
        "stray.py": "",
    })
    graph = import_graph.build_graph(package)
    assert graph.edges["vanban.ocr.engine"] == {"vanban.normalize.lm": 2}
    assert set(graph.edges["vanban.extract"]) == {"vanban.ocr.engine", "vanban.model"}
    problems = import_graph.problems(graph)
    assert any(p.startswith("upward: vanban.ocr.engine (ocr) -> vanban.normalize.lm (normalize)")
               for p in problems), problems
    assert any(p.startswith("no layer: vanban.stray") for p in problems), problems
    cycle = [p for p in problems if p.startswith("cycle")]
    assert len(cycle) == 1 and "vanban.normalize.channel -> vanban.normalize.lm -> " \
        "vanban.normalize.channel" in cycle[0], problems
    assert len(problems) == 3, problems
    # the script's exit status: 1 with problems
    run = subprocess.run([sys.executable, str(SCRIPT), "--package", str(package), "--quiet"],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "3 problems" in run.stdout


def test_import_graph_accepts_downward_edges(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "",
        "errors.py": "",
        "ocr/__init__.py": "from ..errors import E\n",
        "extract/__init__.py": "def f():\n    from ..ocr import g\n    from .. import errors\n",
        "cli.py": "from .extract import f\nfrom . import ocr\n",
    })
    graph = import_graph.build_graph(package)
    assert import_graph.problems(graph) == []
    assert set(graph.edges["vanban.cli"]) == {"vanban.extract", "vanban.ocr"}
    run = subprocess.run([sys.executable, str(SCRIPT), "--package", str(package)],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "0 problems" in run.stdout
    assert "[8 cli]\n  vanban.cli -> vanban.ocr, vanban.extract" in run.stdout


def _error_classes(cls=errors.VanbanError):
    yield cls
    for sub in cls.__subclasses__():
        yield from _error_classes(sub)


def test_every_error_exit_code_is_an_exit_code():
    assert [int(code) for code in errors.ExitCode] == [0, 1, 2, 3, 4, 5, 6, 7, 130]
    for cls in _error_classes():
        assert isinstance(cls.exit_code, errors.ExitCode), cls
    assert errors.InputFileError.exit_code == 3 and errors.StoreError.exit_code == 6
    assert errors.EXIT_INTERRUPTED == 130


def test_settings_paths_come_from_the_environment_or_beside_the_repository(monkeypatch, tmp_path):
    monkeypatch.delenv("VANBAN_SHARED", raising=False)
    monkeypatch.delenv("VANBAN_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert settings.shared_dir() == ROOT.parent / "shared"
    assert settings.cache_dir("vie-ocr") == tmp_path / "xdg" / "vanban" / "vie-ocr"
    assert settings.eval_dir() == ROOT / "eval"
    monkeypatch.setenv("VANBAN_SHARED", str(tmp_path / "data"))
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    assert settings.corpus_path() == tmp_path / "data" / "corpus" / "train_corpus.jsonl.xz"
    assert settings.shared_dev_dir() == tmp_path / "data" / "dev"
    assert settings.cache_dir() == tmp_path / "cache"
    assert not (tmp_path / "cache").exists()  # nothing is created by asking


def test_no_machine_path_in_the_package():
    machine_path = re.compile(r"""["'](/work/|/home/|/root/|/tmp/|/mnt/)""")
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "vanban").rglob("*.py"))
                 if machine_path.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_extract_preload_builds_the_patterns_and_matchers_once():
    from vanban import extract
    from vanban.extract import agencies, entities, text
    for built in (agencies._head_matcher, agencies._gazetteer_matcher, entities._ruler_nlp):
        built.cache_clear()
    extract.preload()
    for built in (agencies._head_matcher, agencies._gazetteer_matcher, entities._ruler_nlp):
        assert built.cache_info().currsize == 1, built
    assert text.load_patterns.cache_info().currsize >= len(list(text.PATTERN_DIR.glob("*.json")))
    matcher = agencies._gazetteer_matcher()
    record = extract.extract_record(
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\nSố: 12/KH-UBND\nKẾ HOẠCH\nChuyển đổi số năm 2025\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao chất lượng dịch vụ công.\n")
    assert record.document["number"] == "12/KH-UBND"
    assert agencies._gazetteer_matcher() is matcher  # used, not built again


def test_cli_choices_are_the_library_constants_loaded_only_when_needed():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom vanban.cli import main\n"
            "result = CliRunner().invoke(main, ['--help'])\nassert result.exit_code == 0\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('vanban'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "vanban.cli" in loaded
    stages = {"ocr", "normalize", "extract", "corpus", "pdfa", "evaluation"}
    assert not [m for m in loaded if m.split(".")[1:2] and m.split(".")[1] in stages], loaded
    from click.testing import CliRunner

    from vanban import corpus, normalize, ocr, pipeline
    from vanban.cli import main
    runner = CliRunner()
    assert "[text|json|hocr]" in runner.invoke(main, ["ocr", "--help"]).output
    assert ocr.FORMATS == ("text", "json", "hocr")
    assert "[" + "|".join(corpus.KINDS) + "]" in runner.invoke(main, ["query", "--help"]).output
    bad = runner.invoke(main, ["restore", "--mode", "bogus"])
    assert bad.exit_code == 2
    assert all(f"'{mode}'" in bad.output for mode in normalize.MODES)
    bad = runner.invoke(main, ["run", "--mode", "bogus", __file__])
    assert bad.exit_code == 2 and all(f"'{m}'" in bad.output for m in pipeline.RESTORE_MODES)
