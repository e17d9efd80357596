"""The public Python API is small and pinned: changing it is a deliberate act."""

import briefgen


def test_public_api_is_pinned():
    assert sorted(briefgen.__all__) == sorted([
        "__version__", "build", "load_config", "BriefgenError", "ConfigError", "DeliveryError",
        "IngestError", "OutputError", "RenderError"])
    for name in briefgen.__all__:
        assert hasattr(briefgen, name)
    for name in ("ConfigError", "DeliveryError", "IngestError", "OutputError", "RenderError"):
        assert issubclass(getattr(briefgen, name), briefgen.BriefgenError)


def test_every_module_states_its_input_and_output():
    import ast
    from pathlib import Path

    modules = sorted(Path(briefgen.__file__).parent.glob("*.py"))
    assert len(modules) >= 10
    for path in modules:
        first = (ast.get_docstring(ast.parse(path.read_text())) or "").strip().splitlines()[0]
        assert "→" in first, f"{path.name}: {first!r}"


def test_errors_exports_every_error_of_the_tree():
    from briefgen import errors

    tree = {name for name, obj in vars(errors).items()
            if isinstance(obj, type) and issubclass(obj, errors.BriefgenError)}
    assert tree <= set(errors.__all__) and "DeliveryError" in errors.__all__
