# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes how long each task took, from its start to its result, to the JSON file $TASK_TIME_FILE.

It also writes, under ``controller_peak_rss_kb``, the peak resident memory of the
ansible-playbook process itself (the controller), read when the playbook ends.

Used by the benchmark to tell the time of the module's task from the time of the whole
ansible-playbook run (start-up, parsing, loading vars files, exit).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import resource
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_time"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.started = {}
        self.seconds = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started[task._uuid] = (task.get_name(), time.perf_counter())

    def _finished(self, result):
        name, started = self.started[result.task._uuid]
        self.seconds[name] = time.perf_counter() - started

    v2_runner_on_ok = _finished

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._finished(result)

    def v2_playbook_on_stats(self, stats):
        out = dict(self.seconds, controller_peak_rss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        with open(os.environ["TASK_TIME_FILE"], "w") as handle:
            json.dump(out, handle)
