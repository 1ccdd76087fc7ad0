"""py-dactyl (the hand-written Pterodactyl client from PyPI) against the reference server.

Usage: check.py PANEL_URL API_KEY. Completes account details, the API key list, creating a key
(and using it), and a refused e-mail change with a wrong password; exits non-zero on the first
failure. Prints one closing line, `N passed, N failed`.
"""

import sys

import requests
from pydactyl import PterodactylClient
from pydactyl.exceptions import PterodactylApiError


def main(panel: str, key: str) -> int:
    passed, failed = 0, 0

    def check(name, condition, detail=""):
        nonlocal passed, failed
        if condition:
            passed += 1
            print(f"ok: {name}")
        else:
            failed += 1
            print(f"FAILED: {name} {detail}")

    # retries=0: a refusal must be seen as it is, not retried.
    api = PterodactylClient(panel, key, retries=0)
    account = api.client.account.get_account()
    check(
        "account details",
        account.get("object") == "user" and "@" in account["attributes"]["email"],
        repr(account),
    )

    # py-dactyl gives the list's attributes (parse_response).
    keys = api.client.account.api_key_list()
    check(
        "API key list",
        isinstance(keys, list) and len(keys) >= 1 and all("identifier" in key for key in keys),
        repr(keys),
    )

    created = api.client.account.api_key_create("py-dactyl", ["127.0.0.1", "10.0.0.0/8"])
    secret = created.get("meta", {}).get("secret_token", "")
    identifier = created.get("attributes", {}).get("identifier", "")
    check("API key create", len(identifier) == 16 and len(secret) > 0, repr(created))
    listed = api.client.account.api_key_list()
    check(
        "the new key is listed, without its secret",
        any(item["identifier"] == identifier for item in listed)
        and secret not in repr(listed),
        repr(listed),
    )
    again = PterodactylClient(panel, identifier + secret, retries=0)
    check(
        "the new key authenticates",
        again.client.account.get_account().get("object") == "user",
    )

    try:
        api.client.account.api_key_create("bad", ["not-an-ip"])
        check("an invalid allowed IP is refused", False, "it was accepted")
    except PterodactylApiError as err:
        check("an invalid allowed IP is refused", "not-an-ip" in str(err), str(err))

    try:
        api.client.account.update_email("new@example.com", "wrong-password")
        check("a refused e-mail change raises", False, "py-dactyl reported success")
    except PterodactylApiError as err:
        check(
            "a refused e-mail change raises",
            "InvalidPasswordProvidedException" in str(err),
            str(err),
        )
    account = api.client.account.get_account()
    check(
        "the e-mail address is unchanged",
        account["attributes"]["email"] != "new@example.com",
        repr(account),
    )

    try:
        api.client.account.update_password("wrong-password", "New-Passw0rd-1", "New-Passw0rd-1")
        check("a refused password change raises", False, "py-dactyl reported success")
    except PterodactylApiError as err:
        check("a refused password change raises", "InvalidPasswordProvidedException" in str(err), str(err))

    try:
        PterodactylClient(panel, "DemoApiKey000001wrong", retries=0).client.account.get_account()
        check("a wrong key is refused with 401", False, "it was accepted")
    except requests.HTTPError as err:
        check("a wrong key is refused with 401", err.response.status_code == 401, str(err))

    print(f"py-dactyl: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
