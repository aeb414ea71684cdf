import engine


def test_the_public_surface_is_declared_once_and_sorted() -> None:
    assert engine.__all__ == sorted(engine.__all__, key=lambda n: (not n.isupper(), n))
    for name in engine.__all__:
        assert hasattr(engine, name), name
    public = {n for n in dir(engine) if not n.startswith("_")}
    modules = {"contract", "errors", "ai"}
    assert public - modules == set(engine.__all__)
