"""``techpack diff``: the bracket's own history (A → B), semantic no-change, moves, gates, git and packs.

``bracket-A`` and ``bracket-B`` recreate the example bracket's revision history:
B changed the centre bore to Ø12 H7 and added the two upright M5 holes
(``examples/bracket`` is revision B).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfWriter
from click.testing import CliRunner

from techpack.cli import main
from techpack.revisions.model import diff
from techpack.revisions.report import as_json, as_markdown, as_text
from techpack.revisions.run import compare
from techpack.revisions.scope import delta_fai, gates
from techpack.revisions.sides import Side, SideError, open_side
from techpack.revisions.snapshot import snapshot

HERE = Path(__file__).parent
A, B = HERE / "bracket-A", HERE / "bracket-B"
UPRIGHT = ["upright-threads.size", "upright-threads.x.1", "upright-threads.z.1", "upright-threads.x.2",
           "upright-threads.z.2", "upright-threads.thread"]


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def snap(path: Path, geometry: bool = False):
    return snapshot(Side(str(path), path, "folder"), geometry=geometry)


def run(*args: str):
    return CliRunner().invoke(main, ["diff", *map(str, args)], catch_exceptions=False)


@pytest.fixture
def b_copy(tmp_path):
    dest = tmp_path / "B"
    shutil.copytree(B, dest)
    return dest


def edit(folder: Path, old: str, new: str) -> None:
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bracket_a_to_b_delta_fai_is_exactly_the_bore_and_the_upright_holes():
    cs = diff(snap(A), snap(B))
    scopes = delta_fai(cs)
    assert [s.part for s in scopes] == ["TP-1001-01"]
    scope = scopes[0]
    assert scope.ids == ["bore.size", *UPRIGHT]
    assert not scope.full and scope.baseline_revision == "A" and scope.revision == "B"
    assert scope.baseline_fair == "FAIR-TP-1001-01-A"
    assert "Partial FAI against FAIR-TP-1001-01-A" in scope.reason
    bore = next(c for c in cs.changes if c.subject == "TP-1001-01/bore.size")
    assert {f.name: (f.old, f.new) for f in bore.fields}["requirement"] == ("Ø12 ±0.1", "Ø12 H7")
    assert [g.key for g in gates(cs, scopes)] == ["pp", "fai"]
    # the revision itself is recorded, but is not content
    rev = [c for c in cs.changes if not c.content]
    assert {c.subject for c in rev} == {"product TP-1001 revision", "part TP-1001-01 revision"}


def test_cli_exit_status_and_formats():
    text = run(A, B, "--no-geometry")
    assert text.exit_code == 1
    assert "bore.size" in text.output and "Delta FAI" in text.output
    js = run(A, B, "--no-geometry", "--format", "json")
    doc = json.loads(js.output)
    assert doc["changed"] and doc["from"]["revision"] == "A" and doc["to"]["revision"] == "B"
    assert doc["to"]["author"] == "D. Whitlock" and "Ø12 H7" in doc["to"]["reason"]
    assert doc["delta_fai"][0]["characteristics"] == ["bore.size", *UPRIGHT]
    md = run(A, B, "--no-geometry", "--format", "markdown")
    assert md.output.startswith("### techpack diff: TP-1001 rev A → B")
    assert "| TP-1001-01 rev B | partial | `bore.size`" in md.output
    same = run(B, B, "--no-geometry")
    assert same.exit_code == 0 and same.output.startswith("no change")


def test_reordered_yaml_and_comment_edits_are_no_change(b_copy):
    doc = yaml.safe_load((B / "techpack.yaml").read_text(encoding="utf-8"))
    doc = {k: doc[k] for k in reversed(list(doc))}  # sections in reverse order
    part = doc["parts"][0]
    part["features"].reverse()
    part["dimensions"].reverse()
    doc["parts"][0] = {k: part[k] for k in reversed(list(part))}
    doc["production"]["process_parameters"].reverse()
    doc["product"] = {k: doc["product"][k] for k in reversed(list(doc["product"]))}
    text = "# reordered and re-commented\n" + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    text = text.replace("\nparts:\n", "\n# the one made part\nparts:\n")
    (b_copy / "techpack.yaml").write_text(text, encoding="utf-8")
    assert (b_copy / "techpack.yaml").read_bytes() != (B / "techpack.yaml").read_bytes()
    cs = diff(snap(B), snap(b_copy))
    assert cs.changes == []
    assert run(B, b_copy, "--no-geometry").exit_code == 0


def test_a_moved_hole_is_reported_with_the_distance(b_copy):
    edit(b_copy, "- {x: 70 basic, y: 10 basic}", "- {x: 67 basic, y: 14 basic}")
    cs = diff(snap(B), snap(b_copy))
    moved = [c for c in cs.changes if c.kind == "moved"]
    assert len(moved) == 1
    assert moved[0].subject == "TP-1001-01/mount-holes[2]"
    assert moved[0].moved_mm == pytest.approx(5.0)
    assert "moved 5 mm" in as_text(cs)
    assert delta_fai(cs)[0].ids == ["mount-holes.position"]
    assert json.loads(as_json(cs))["changes"][0]["moved_mm"] == 5.0


def test_a_changed_material_names_the_pp_sample_gate(b_copy):
    edit(b_copy, "designation: EN AW-6061-T6", "designation: EN AW-6082-T6")
    edit(b_copy, 'grade: "6061"', 'grade: "6082"')
    cs = diff(snap(B), snap(b_copy))
    assert [c.subject for c in cs.of("material")] == ["material al6061", "part TP-1001-01 material"]
    scope = delta_fai(cs)[0]
    assert scope.ids == [] and "material change" in scope.reason
    pp = next(g for g in gates(cs, delta_fai(cs)) if g.key == "pp")
    assert any("new PP sample from the new bulk material" in w for w in pp.why)
    assert "new PP sample" in as_markdown(cs)


def test_certificate_and_packaging_and_production_are_their_own_areas(b_copy):
    edit(b_copy, "certificate: EN 10204 3.1", "certificate: EN 10204 2.2")
    edit(b_copy, "units_per_carton: 50", "units_per_carton: 40")
    edit(b_copy, "min: 9000, max: 12000", "min: 9500, max: 12000")
    cs = diff(snap(B), snap(b_copy))
    areas = {c.area for c in cs.changes}
    assert {"certificate", "packaging", "production"} <= areas
    prod = cs.of("production")[0]
    assert [(f.name, f.old, f.new) for f in prod.fields] == [
        ("process_parameters.spindle-finish.min", "9000", "9500")]
    assert any("process parameters changed" in w for g in gates(cs, delta_fai(cs)) for w in g.why)


def test_removed_characteristic_is_listed_but_not_reinspected(b_copy):
    edit(b_copy, "      - {id: upright-thickness, value: \"8\", description: upright thickness}\n", "")
    cs = diff(snap(B), snap(b_copy))
    scope = delta_fai(cs)[0]
    assert scope.ids == [] and [c.subject for c in scope.removed] == ["TP-1001-01/upright-thickness"]


def test_git_revisions(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(A, repo / "bracket")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "rev A"], check=True)
    shutil.rmtree(repo / "bracket")
    shutil.copytree(B, repo / "bracket")
    subprocess.run([*git, "commit", "-qam", "rev B"], check=True)
    cs = compare(str(repo / "bracket"), None, git_rev="HEAD~1", geometry=False)
    assert delta_fai(cs)[0].ids == ["bore.size", *UPRIGHT]
    assert cs.old.label == "HEAD~1:bracket"
    monkeypatch.chdir(repo)  # REV:path is relative to the working directory
    result = run("HEAD~1:bracket", "HEAD:bracket", "--no-geometry")
    assert result.exit_code == 1 and "bore.size" in result.output
    bad = run("--git", "no-such-rev", repo / "bracket", "--no-geometry")
    assert bad.exit_code == 2


def test_unreadable_side_is_exit_2_with_a_clear_message(tmp_path):
    result = run(tmp_path / "nothing-here", B, "--no-geometry")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    broken = tmp_path / "broken"
    shutil.copytree(B, broken)
    edit(broken, "material: al6061", "material: [al6061")
    result = run(broken, B, "--no-geometry")
    assert result.exit_code == 2 and "the spec does not load" in result.output and "TP001" in result.output


@pytest.fixture(scope="module")
def pack_b(tmp_path_factory):
    """A pack of revision B with the tech-pack PDF only (it carries the spec and model as attachments)."""
    from techpack.build import BuildOptions, build  # noqa: PLC0415
    from techpack.renderers import RENDERERS  # noqa: PLC0415

    out = tmp_path_factory.mktemp("packs") / "B"
    result = build(B, out, BuildOptions(jobs=1), renderers={"techpack-pdf": RENDERERS["techpack-pdf"]})
    assert result.written, [str(d) for d in result.diagnostics]
    return out


def test_diff_against_a_built_pack(pack_b):
    cs = compare(str(A), str(pack_b), geometry=False)
    assert delta_fai(cs)[0].ids == ["bore.size", *UPRIGHT]
    assert cs.new.pack["techpack"] and cs.new.origin == "pack"
    assert diff(snap(B), snapshot(open_side(str(pack_b)), geometry=False)).changes == []


def test_pack_from_an_older_techpack_gives_a_clear_error(pack_b, tmp_path):
    old = tmp_path / "old-pack"
    shutil.copytree(pack_b, old)
    manifest = json.loads((old / "manifest.json").read_text())
    manifest["techpack"] = "0.0.1"
    for f in manifest["files"]:
        if f["kind"] == "techpack-pdf":
            writer = PdfWriter()  # an older tech-pack PDF: no attachments
            writer.add_blank_page(595, 842)
            writer.write(old / f["path"])
    (old / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SideError, match=r"no spec is attached .* built by techpack 0\.0\.1"):
        open_side(str(old))
    result = run(A, old, "--no-geometry")
    assert result.exit_code == 2 and "0.0.1" in result.output
    (old / "techpack.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")  # damaged
    result = run(A, old, "--no-geometry")
    assert result.exit_code == 2 and "cannot read its attachments" in result.output and "0.0.1" in result.output
    manifest["manifest"] = 99
    (old / "manifest.json").write_text(json.dumps(manifest))
    result = run(A, old, "--no-geometry")
    assert result.exit_code == 2 and "manifest format 99" in result.output


def test_geometry_facts_changed_with_the_model():
    cs = diff(snap(A, geometry=True), snap(B, geometry=True))
    model = cs.of("geometry")
    assert [c.subject for c in model] == ["part TP-1001-01 model"]
    fields = {f.name: (f.old, f.new) for f in model[0].fields}
    assert fields["holes in the model"] == ("5", "7")
    old, new = (float(v) for v in fields["volume mm³"])
    assert new < old  # two Ø4.2 holes through the 8 mm upright removed material
    assert "bounding box mm" not in fields


def test_change_notice_pdf_marks_the_changed_balloons(tmp_path):
    import base64  # noqa: PLC0415

    from pypdf import PdfReader  # noqa: PLC0415

    from techpack.revisions.notice import context  # noqa: PLC0415

    cs = diff(snap(A, geometry=True), snap(B, geometry=True))
    ctx = context(cs)
    assert ctx["rev_old"] == "A" and ctx["rev_new"] == "B" and ctx["author"] == "D. Whitlock"
    [sheet] = ctx["sheets"]
    assert sheet["part"] == "TP-1001-01" and sheet["marked"] == 7 and sheet["missing"] == []
    svg = base64.b64decode(sheet["uri"].split(",", 1)[1]).decode()
    marks = svg.split('<g id="revisions"', 1)[1]  # the drawing model's revision layer (drawings/revmarks.py)
    assert marks.count("<polygon") == 7 and marks.count(">B</text>") == 7 + 1  # and the revision table's row B
    [fair] = ctx["fairs"]
    assert [r.item.id for r in fair["form3"]] == ["bore.size", *UPRIGHT]
    assert fair["form2"] == []  # material and finish unchanged: no Form 2 rows
    pdf = tmp_path / "ecn.pdf"
    result = run(A, B, "--pdf", pdf)
    assert result.exit_code == 1 and pdf.is_file()
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Change notice: TP-1001" in text and "Partial FAI" in text
    assert "TP-1001-01 rev A (baseline FAIR-TP-1001-01-A)" in text
    assert "Centre bore changed to Ø12 H7" in text
    from techpack.revisions.notice import render_notice  # noqa: PLC0415

    assert render_notice(cs) == render_notice(cs)  # same inputs, same bytes


def test_a_capability_verdict_that_changed_is_named(b_copy):
    edit(b_copy, "        size: Ø12 H7", "        size: Ø12 H5")
    cs = diff(snap(B), snap(b_copy))
    verdicts = cs.of("capability")
    changed = next(c for c in verdicts if c.subject == "TP-1001-01/bore.size")
    assert changed.fields[0].old.startswith("held by") and changed.fields[0].new.startswith("NOT held")
    assert any(c.kind == "added" and c.subject == "TP301 TP-1001-01/bore.size" for c in verdicts)
    assert not any(c.content for c in verdicts)  # derived: the characteristic change is the content
    assert delta_fai(cs)[0].ids == ["bore.size"]


def test_one_side_without_git_is_a_usage_error():
    result = run(B)
    assert result.exit_code == 2 and "give OLD and NEW" in result.output
