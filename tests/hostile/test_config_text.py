"""Whatever is in the config file, loading it raises ConfigError or returns Settings."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plextui import config
from plextui.config import KEYS, Settings
from plextui.errors import ConfigError

values = st.one_of(
    st.sampled_from(
        ['""', "0", "-1", "1e999", "nan", "true", "[]", "{}", '["x", 1]', "1979-05-25"]
    ),
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers().map(str),
)
names = st.one_of(st.sampled_from(sorted(KEYS)), st.text(min_size=1, max_size=12))


def line(dotted: str, value: str) -> str:
    table, _, key = dotted.rpartition(".")
    return (f"[{table}]\n" if table else "") + f"{key} = {value}\n"


documents = st.one_of(
    st.text(max_size=300),
    st.lists(st.builds(line, names, values), max_size=8).map("".join),
    st.lists(
        st.sampled_from(
            ["[plex]", "[[servers]]", 'name = "a"', 'url = "http://x"', "url = 3", "=", "[", '"']
        ),
        max_size=8,
    ).map("\n".join),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=documents)
def test_any_text_loads_or_is_one_config_error(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        loaded = config.load(path, environ={})
    except ConfigError as error:
        assert str(error)
    else:
        assert isinstance(loaded, Settings)
