"""Property tests: any spec text reaches DXF and HTML literally, never as markup or control codes."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from techpack.drawings.text import clean, dimension_text_escape, mtext_escape
from techpack.pdf import template_env

# Spec text as the loader lets it through: no control characters, no surrogates.
spec_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)
tricky = st.sampled_from(["\\P", "\\f", "{", "}", "^J", "^", "%%c", "%%%", "%%d", "\\\\", "<>", "[]", "\\S1^2;"])
mixed = st.lists(st.one_of(spec_text, tricky), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(mixed)
def test_mtext_shows_any_text_literally(text):
    from ezdxf.tools.text import plain_mtext

    assert plain_mtext(mtext_escape(text)) == clean(text)


@settings(max_examples=200, deadline=None)
@given(mixed)
def test_dimension_text_has_no_placeholders(text):
    escaped = dimension_text_escape(text)
    # "<>" would be replaced by the measured value and "[]" by the alternate units
    assert "<>" not in escaped and "[]" not in escaped


@settings(max_examples=300, deadline=None)
@given(st.one_of(spec_text, st.sampled_from(["<script>x</script>", "<link rel=attachment href=file:///etc/passwd>",
                                               "a</td></tr><tr><td>", "\"' onload=alert(1)", "&amp;", "url(x)"])))
def test_templates_escape_any_text(text):
    env = template_env()
    rendered = env.from_string("<p title=\"{{ t }}\">{{ t }}</p>").render(t=text)
    inner = rendered[rendered.index(">") + 1: rendered.rindex("</p>")]
    assert "<" not in inner and ">" not in inner
    assert html.unescape(inner) == text
    attr = rendered[len('<p title="'): rendered.index('">')]
    assert '"' not in attr and html.unescape(attr) == text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet="WMil.-Ø部 ", max_size=60), st.just("W" * 5000)), max_size=6).map(" ".join),
       st.sampled_from([1.8, 2.5, 3.5]), st.sampled_from([3.0, 10.0, 60.0]))
def test_wrap_keeps_every_character_within_the_width(text, height, width):
    """Lines fit (or are one character), and nothing is lost: a 5,000-character word is cut, not dropped."""
    from techpack.drawings.text import text_width, wrap

    lines = wrap(text, height, width)
    assert all(text_width(ln, height) <= width + 1e-9 or len(ln) == 1 for ln in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
