import engine.ai


def test_the_public_surface_is_declared_once_and_sorted() -> None:
    names = engine.ai.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in names:
        assert hasattr(engine.ai, name), name
    public = {n for n in dir(engine.ai) if not n.startswith("_")}
    assert public - {"errors"} == set(names)


def test_importing_the_package_does_not_import_the_provider_sdks() -> None:
    import subprocess
    import sys

    code = "import sys, engine.ai; print(sorted({'anthropic', 'groq', 'redis'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
