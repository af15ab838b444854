# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters the tenant_export role and the promote playbook check and prune with (the export itself is the
identity.cloud.tenant_export action, plugins/action/tenant_export.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.plugin_utils import tenant_export as export


class FilterModule(object):
    def filters(self):
        return dict((name, getattr(export, name)) for name in (
            "tenant_export_check", "tenant_export_file_names", "tenant_export_dir_error", "tenant_export_prune"))
