import dialogue


def test_the_public_surface_is_declared_once_and_sorted() -> None:
    assert dialogue.__all__ == sorted(dialogue.__all__, key=lambda n: (not n.isupper(), n))
    for name in dialogue.__all__:
        assert hasattr(dialogue, name), name
    public = {n for n in dir(dialogue) if not n.startswith("_")}
    modules = {"references", "state", "steps"}
    assert public - modules == set(dialogue.__all__)


def test_the_dialogue_layer_imports_neither_mcp_nor_litestar() -> None:
    import subprocess
    import sys

    code = "import sys, dialogue; print(sorted(m for m in sys.modules if m.split('.')[0] in ('mcp', 'litestar', 'redis', 'server')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
