"""Who the browser is, without accounts: a random id kept in a cookie of this browser.

The first visit draws a 32-hex id and sets it as a cookie (a small script; Streamlit can read
cookies but not set them); every later visit and every reload reads it back from
`st.context.cookies`. Another browser (or a private window) has no cookie and so a different id:
it never sees this browser's conversations. When Streamlit's own login (`st.login`, OIDC) is
configured and the user signed in, the owner is the signed-in account instead, on any browser.
"""

from __future__ import annotations

import re
import secrets

import streamlit as st

COOKIE = "assistant_uid"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
_ID = re.compile(r"^[0-9a-f]{32}$")


def _signed_in_account() -> str | None:
    try:
        user = st.user
        if user.get("is_logged_in"):
            who = user.get("email") or user.get("sub")
            return f"user:{who}" if who else None
    except Exception:  # no auth configured, or outside a server (AppTest)
        return None
    return None


def _cookie_id() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:
        return None
    return value if isinstance(value, str) and _ID.match(value) else None


def browser_owner() -> str:
    """The owner of this session's conversations (stable for the session, set once)."""
    owner = st.session_state.get("owner")
    account = _signed_in_account()
    if account:
        st.session_state["owner"] = account
        return account
    if owner:
        return owner
    cid = _cookie_id()
    if cid is None:
        cid = secrets.token_hex(16)
        st.session_state["owner_cookie_pending"] = cid
    owner = f"browser:{cid}"
    st.session_state["owner"] = owner
    return owner


def write_cookie() -> None:
    """Set the cookie once for a new browser (after the page ran: the script element takes no room)."""
    cid = st.session_state.pop("owner_cookie_pending", None)
    if cid is None:
        return
    st.html(f"<script>document.cookie = '{COOKIE}={cid}; path=/; max-age={COOKIE_MAX_AGE}; SameSite=Lax';"
            "</script>", unsafe_allow_javascript=True, width="content")
