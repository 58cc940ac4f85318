"""Attacks over the real server: JSON-RPC as the web client sends it
(``/web/dataset/call_kw``) and XML-RPC (``/xmlrpc/2/object``), logged in
as the user who must be refused."""

import xmlrpc.client

from odoo.tests import HttpCase
from odoo.tests.common import JsonRpcException


def password(login):
    """The password ``new_test_user`` gives (the login, padded to 8)."""
    return login + "x" * (8 - len(login))


class RpcCase(HttpCase):
    """``call_kw``/``xmlrpc`` run a model method over the wire as a user;
    ``assertRefused`` expects the server to answer with an error."""

    REFUSALS = (
        "odoo.exceptions.AccessError",
        "odoo.exceptions.UserError",
        "odoo.exceptions.ValidationError",
        "odoo.exceptions.MissingError",
    )

    def call_kw(self, login, model, method, args=(), kwargs=None, context=None):
        """``context``: what a client may send along (it must guard nothing)."""
        self.authenticate(login, password(login))
        kwargs = dict(kwargs or {})
        if context:
            kwargs["context"] = context
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def xmlrpc(self, login, model, method, args=(), kwargs=None):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, password(login), {})
        self.assertTrue(uid, f"{login} cannot log in over XML-RPC")
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password(login), model, method, list(args), kwargs or {}
        )

    def assertRefused(self, login, model, method, args=(), kwargs=None, errors=None, context=None):
        """The JSON-RPC call fails with one of ``errors`` (Odoo's access and
        user errors by default); returns the error's name."""
        with self.assertRaises(JsonRpcException) as caught:
            self.call_kw(login, model, method, args, kwargs, context=context)
        name = str(caught.exception)
        self.assertIn(name, errors or self.REFUSALS, f"{model}.{method} as {login}: {name}")
        return name

    def assertXmlRpcRefused(self, login, model, method, args=(), kwargs=None):
        """The XML-RPC call fails (the fault carries the error's message)."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc(login, model, method, args, kwargs)
        self.assertTrue(caught.exception.faultString)
        return caught.exception.faultString
