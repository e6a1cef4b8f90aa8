"""Reading pjrt-plugin-tt's requirements before resolving (venv/plugin_metadata.py)."""

from __future__ import annotations

from tt_lessons import plugin
from tt_lessons.venv import plugin_metadata as pm


def test_the_facts_agree_with_each_other() -> None:
    assert set(plugin.JAX_PINS) <= set(plugin.REQUIRES)
    assert plugin.WHEEL_TAG.startswith(f"{plugin.PYTHON_TAG}-{plugin.PYTHON_TAG}-")
    assert plugin.WHEEL_TAG.endswith(
        f"manylinux_{plugin.MIN_GLIBC[0]}_{plugin.MIN_GLIBC[1]}_x86_64"
    )
    assert len(plugin.TT_XLA_COMMIT) == 40
    metadata = "".join(f"Requires-Dist: {line}\n" for line in plugin.REQUIRES)
    names = [req.name for req in pm.url_requirements(metadata)]
    assert names == ["torch", "torch-xla", "tt-lang"]


def test_url_requirements_keep_markers_and_drop_extras() -> None:
    metadata = (
        "Metadata-Version: 2.1\nName: x\nVersion: 1\n"
        "Requires-Dist: jax==0.7.1\n"
        "Requires-Dist: Torch[cuda] @ https://h/torch.whl ; python_version >= '3.12'\n"
        "Requires-Dist: tt_lang@https://h/tt_lang.whl\n"
    )
    found = pm.url_requirements(metadata)
    assert [r.line() for r in found] == [
        "torch @ https://h/torch.whl ; python_version >= '3.12'",
        "tt-lang @ https://h/tt_lang.whl",
    ]
    assert found[1].line("file:///w/tt_lang.whl") == "tt-lang @ file:///w/tt_lang.whl"


def candidate(version: str, tag: str = "cp312") -> pm.Candidate:
    name = f"pjrt_plugin_tt-{version}-{tag}-{tag}-manylinux_2_34_x86_64.whl"
    return pm.Candidate(name, f"https://i/{name}", version, None)


def test_pick_is_the_resolvers_choice() -> None:
    offered = [
        candidate("1.3.0"),
        candidate("1.4.0"),
        candidate("1.5.0.dev20260801"),
        candidate("1.5.0.dev20260802"),
        candidate("1.6.0", "cp313"),  # another Python's wheel is never the one
    ]
    assert pm.pick(offered, pre=False, python_tag="cp312") == offered[1]
    assert pm.pick(offered, pre=True, python_tag="cp312") == offered[3]
    assert pm.pick(offered[2:4], pre=False, python_tag="cp312") == offered[3]  # only nightlies
    assert pm.pick(offered, pre=False, python_tag="cp311") is None
    assert pm.version_key("1.5.0rc1") < pm.version_key("1.5.0") < pm.version_key("1.5.1.dev1")
