from server.auth.roles import DEFAULT_ROLE_GROUPS, Role, roles_from_groups
from server.auth.service import principal_from_claims
from tools.tenant.directory import load_directory


def test_every_group_of_the_embedded_directory_grants_a_role():
    directory = load_directory()

    assert {group.id for group in directory.groups} == set(DEFAULT_ROLE_GROUPS)


def test_unknown_groups_grant_nothing_and_roles_are_ordered():
    groups = ["not-a-group", *reversed(list(DEFAULT_ROLE_GROUPS))]

    assert roles_from_groups(groups, DEFAULT_ROLE_GROUPS) == list(Role)
    assert roles_from_groups(["not-a-group"], DEFAULT_ROLE_GROUPS) == []


def test_entra_app_roles_are_honoured_only_when_they_name_an_ariane_role():
    claims = {
        "iss": "https://issuer",
        "sub": "s",
        "oid": "o",
        "name": "N",
        "preferred_username": "A@B.FR",
        "roles": ["auditor", "Global.Admin"],
        "groups": [],
    }

    principal = principal_from_claims(claims, "token", DEFAULT_ROLE_GROUPS)

    assert (principal.email, principal.subject, principal.roles) == ("a@b.fr", "o", [Role.AUDITOR])
