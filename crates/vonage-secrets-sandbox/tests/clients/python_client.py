"""A client in another language: requests and PyJWT (which wants iss as a string; the sandbox
accepts both), signing its own tokens from the sandbox's
credentials.json, over https trusting the sandbox's CA. Arguments: BASE_URL CREDENTIALS CA.
Prints "python client: ok" when every check holds."""
import json
import sys
import time

import jwt
import requests

base, credentials_path, ca = sys.argv[1:4]
with open(credentials_path) as f:
    creds = json.load(f)


def token():
    now = int(time.time())
    return jwt.encode(
        {"iss": str(creds["account_id"]), "iat": now - 5, "exp": now + 24},
        creds["private_key"],
        algorithm="RS256",
        headers={"kid": creds["key_id"]},
    )


def call(method, **params):
    r = requests.post(
        f"{base}/platform_api/{method}",
        data=params,
        headers={"Authorization": f"Bearer {token()}"},
        verify=ca,
        timeout=20,
    )
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()


added = call("AddSecret", application_id=1, secret_name="py_secret", secret_value="Py-value-1")
secret_id = added["result"]["secret_id"]
listed = call("GetSecrets", application_id=1)
assert listed["total_count"] == 1 and listed["result"][0]["secret_name"] == "py_secret", listed
value = call("GetSecretValue", application_id=1, secret_id=secret_id)
assert value["result"]["secret_value"] == "Py-value-1", "wrong value"
assert call("SetSecretInfo", application_id=1, secret_id=secret_id, description="d") == {"result": 1}
assert call("DelSecret", application_id=1, secret_name="py_secret") == {"result": 1}
missing = call("GetSecretValue", application_id=1, secret_id=secret_id)
assert missing["error"]["code"] == 15, missing
print("python client: ok")
