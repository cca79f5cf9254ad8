import pytest

pytestmark = pytest.mark.anyio

CLAIRE = "claire.dubois@chru-exemple.fr"
KARIM = "karim.haddad@chru-exemple.fr"


async def test_search_finds_conversations_by_their_exchanges_with_french_stemming(
    chat_api, as_user, converse
):
    headers = as_user(CLAIRE)
    astreintes, _ = await converse(
        headers, ("Comment sont compensées les astreintes ?", "Les astreintes sont récupérées [1].")
    )
    await converse(headers, ("Résume la réunion du comité", "Trois points [1]."))

    hits = (
        await chat_api.get("/api/search/threads", params={"q": "astreinte compensée"}, headers=headers)
    ).json()

    assert [hit["thread_id"] for hit in hits] == [astreintes]
    assert "«" in hits[0]["snippet"]
    assert "astreintes" in hits[0]["snippet"]
    assert hits[0]["run_id"] is not None


async def test_search_matches_titles_and_never_shows_another_users_conversations(chat_api, as_user, converse):
    claire, karim = as_user(CLAIRE), as_user(KARIM)
    mine, _ = await converse(claire, ("Bonjour", "Voici [1]."))
    await chat_api.patch(f"/api/threads/{mine}", json={"title": "Préparation du budget"}, headers=claire)
    await converse(karim, ("Le budget de la paie", "Voici [1]."))

    hits = (await chat_api.get("/api/search/threads", params={"q": "budget"}, headers=claire)).json()

    assert [(hit["thread_id"], hit["title"]) for hit in hits] == [(mine, "Préparation du budget")]


@pytest.mark.parametrize(
    ("query", "code"), [("", "invalid_request"), ("   ", "query_empty"), ("x" * 201, "invalid_request")]
)
async def test_empty_or_overlong_searches_are_refused(chat_api, as_user, query, code):
    response = await chat_api.get("/api/search/threads", params={"q": query}, headers=as_user(CLAIRE))

    assert (response.status_code, response.json()["error"]) == (400, code)


async def test_search_syntax_never_breaks_the_query(chat_api, as_user, converse):
    headers = as_user(CLAIRE)
    await converse(headers, ("Bonjour", "Voici [1]."))

    for query in ['"non fermé', "a & | ! (", "-", "le la les"]:
        response = await chat_api.get("/api/search/threads", params={"q": query}, headers=headers)
        assert (response.status_code, response.json()) == (200, [])
