# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result, with start and end times, as JSON lines.

The integration harness reads the file named by ``IDENTITY_CLOUD_RECORD`` and matches the
simulators' request logs to tasks by time, so one playbook run can check several steps.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: record_tasks
type: aggregate
short_description: Record task results as JSON lines for the integration tests
description:
  - Writes one JSON object per task result to the file named by E(IDENTITY_CLOUD_RECORD).
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_tasks"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._path = os.environ.get("IDENTITY_CLOUD_RECORD")
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.time()

    def _write(self, result, status):
        if not self._path:
            return
        task = result._task
        entry = {
            "name": task.get_name(),
            "status": status,
            "start": self._started.get(task._uuid, time.time()),
            "end": time.time(),
            "result": json.loads(json.dumps(result._result, default=str)),
        }
        with open(self._path, "a") as out:
            out.write(json.dumps(entry) + "\n")

    def v2_runner_on_ok(self, result):
        self._write(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._write(result, "skipped")
