import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def dist(settings):
    root = settings.web_dist
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Ariane</title><div id=root></div>")
    (root / "assets" / "app-1234.js").write_text("console.log('ariane')")
    return root


async def test_client_side_routes_get_the_web_app(api, dist):
    for path in ("/", "/chat", "/administration/politique", "/auth/callback?code=x"):
        response = await api.get(path)
        assert (response.status_code, response.text) == (200, (dist / "index.html").read_text()), path


async def test_built_assets_are_served_with_long_caching(api, dist):
    response = await api.get("/assets/app-1234.js")

    assert response.text == "console.log('ariane')"
    assert "immutable" in response.headers["cache-control"]


async def test_unknown_api_paths_are_404_not_the_web_app(api, dist):
    for path in ("/api/nothing", "/v1/nothing", "/mcp/nothing"):
        response = await api.get(path)
        assert response.status_code == (401 if path.startswith("/mcp") else 404), path  # /mcp: token first
        assert "<div id=root>" not in response.text, path
    assert (await api.get("/api/nothing")).json()["error"] == "not_found"


async def test_paths_cannot_escape_the_build_folder(api, dist):
    (dist.parent / "secret.txt").write_text("secret")

    response = await api.get("/assets/../../secret.txt")

    assert "secret" not in response.text


async def test_a_missing_build_says_how_to_build_it(api):
    response = await api.get("/")

    assert response.status_code == 503
    assert "make run" in response.text
