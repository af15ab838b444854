SHELL := /bin/bash
# Two entry points for a fresh machine with Python 3.11+:
#   make demo   virtualenv + pinned requirements, start the simulators, run playbooks/demo.yml twice
#   make test   virtualenv + pinned requirements, then pytest, ansible-test sanity, ansible-lint, molecule
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SANITY_DIR ?= .cache/sanity
COLLECTION_DIR = $(SANITY_DIR)/ansible_collections/identity/cloud
# e.g. SANITY_ARGS='--test validate-modules plugins/modules/foo.py' to run part of sanity
SANITY_ARGS ?=
# Two workers: CI and the developers' machines have 2 cores.
PYTEST_ARGS ?= -n 2

.PHONY: demo test venv-demo venv-test pytest pytest-random-faults pytest-all test-matrix release release-changelog release-check release-test sanity lint molecule docs checks-sanity-docs checks-lint-molecule benchmark benchmark-scaling build clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: requirements-demo.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-demo.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.demo-installed

venv-demo: $(VENV)/.demo-installed
venv-test: $(VENV)/.test-installed

demo: venv-demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/demo.py

# The two pytest passes keep both cores busy; sanity, lint, molecule and docs use about one core each,
# so they run as two streams side by side (each stream's output printed whole when it ends). lint and
# molecule are in one stream: both prepare ansible-compat's cache of the collection.
test: venv-test
	$(MAKE) pytest pytest-random-faults test-matrix
	$(MAKE) -j2 --output-sync=recurse checks-sanity-docs checks-lint-molecule

checks-sanity-docs: venv-test
	$(MAKE) sanity docs release-test

checks-lint-molecule: venv-test
	$(MAKE) lint molecule

# The SailPoint SDK 1.4.2 (sailpoint.v2024) judges the simulator next to the latest release and
# cannot share .venv with it (same package): tests/contract/test_sailpoint_sdk.py runs it from here.
SAILPOINT_SDK_VENV := .cache/sdk-sailpoint-1.4.2
$(SAILPOINT_SDK_VENV)/.installed: tests/contract/requirements-sailpoint-1.4.2.txt
	rm -rf $(SAILPOINT_SDK_VENV) && $(PYTHON) -m venv $(SAILPOINT_SDK_VENV)
	$(SAILPOINT_SDK_VENV)/bin/pip install --quiet -r tests/contract/requirements-sailpoint-1.4.2.txt
	touch $@

# Every test runs once in `make test`. `make pytest`: the unit and contract tests and the integration
# tests marked no_random_faults: those that inject faults of their own (fault matrix, TLS / proxy / redirects,
# a role run whose connection test fails) and bad-input tests whose every case must fail before any write (an
# end-to-end run of the same module or role rides out random faults in the other pass), four at a time (the
# fault matrix mostly waits). `make pytest-random-faults`: every
# other integration test, three at a time (retries and tasks wait too), with faults on 10 % of the requests (429/503; 502/504/reset for calls that are
# safe to repeat; a lost reply for GET/PUT/PATCH), seeded: pytest prints the seed; FAULT_SEED=<n> picks
# another (a fixed default keeps CI reproducible). That pass runs every playbook at -vvvv and with --diff;
# the output of every playbook in both passes is searched for the secrets the simulators issued and the
# playbooks passed (tests/conftest.py). The tests assert the fault-free results, so a pass under random
# faults is the same results as without; `make pytest-all` runs everything without random faults.
# The longest runs are collected first (LONG_RUNS, tests/conftest.py) and handed out one at a time
# (--maxschedchunk 1): by default xdist hands each worker a run of consecutive tests, so the long ones, last
# in file order, ended the pass on one worker while the others waited.
# pytest exits 5 when it collected no test: that is never a green run here.
PYTEST_RUN = HOME=$(CURDIR)/.cache/home PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest
NO_TESTS = rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; exit $$rc
pytest: venv-test $(SAILPOINT_SDK_VENV)/.installed
	mkdir -p .cache/home
	$(PYTEST_RUN) -n 4 -m no_random_faults; $(NO_TESTS)

FAULT_SEED ?= 20261201
pytest-random-faults: venv-test
	mkdir -p .cache/home
	IDENTITY_CLOUD_RANDOM_FAULTS=$(FAULT_SEED) IDENTITY_CLOUD_PLAY_VERBOSITY=4 IDENTITY_CLOUD_PLAY_DIFF=1 \
	  $(PYTEST_RUN) -n 3 --maxschedchunk 1 tests/integration -m "not no_random_faults"; $(NO_TESTS)

pytest-all: venv-test $(SAILPOINT_SDK_VENV)/.installed
	mkdir -p .cache/home
	$(PYTEST_RUN) $(PYTEST_ARGS); $(NO_TESTS)

# Every supported ansible-core minor that runs on this Python (meta/runtime.yml: >=2.16): the newest is .venv's;
# each older one (its latest patch) gets a pinned virtualenv of its own under .cache/matrix, and the playbooks
# run with its ansible-playbook (IDENTITY_CLOUD_ANSIBLE_BIN, tests/conftest.py): every module's EXAMPLES, the
# demo, the example inventory's playbooks, and each molecule scenario's converge, idempotence and verify
# without molecule (tests/matrix). The newest runs all of these in the passes above (molecule itself, and
# test_inventory_flow_secrets.py for the inventory's playbooks). A machine with Python 3.12+ adds 2.20+ with
# a requirements file of its own: make test-matrix PYTHON=python3.12 MATRIX=2.20. 2.16 and 2.17 support Python
# 3.10-3.12 on the controller: on Python 3.13, run make test MATRIX=2.18.
MATRIX ?= 2.16 2.17 2.18
MATRIX_DIR := .cache/matrix
# The versions run side by side, two workers each (each version's output printed whole when it ends): one after
# the other, each ended on its longest runs with cores idle, and its playbooks wait on the simulators.
MATRIX_WORKERS ?= 2
MATRIX_TESTS := tests/integration/test_examples.py tests/matrix \
  tests/integration/test_demo_and_build.py::test_demo_playbook_creates_then_changes_nothing
$(MATRIX_DIR)/%/.installed: tests/matrix/requirements-%.txt
	rm -rf $(MATRIX_DIR)/$* && $(PYTHON) -m venv $(MATRIX_DIR)/$*
	$(MATRIX_DIR)/$*/bin/pip install --quiet -r $<
	touch $@

test-matrix: venv-test $(foreach version,$(MATRIX),$(MATRIX_DIR)/$(version)/.installed)
	mkdir -p .cache/home
	$(MAKE) -k -j$(words $(MATRIX)) --output-sync=target $(addprefix test-matrix-,$(MATRIX)) \
	  || { echo "test-matrix failed (the ansible-core version is in the failed target's name above)" >&2; exit 1; }

# one version of the matrix (make test-matrix runs them side by side)
test-matrix-%: venv-test $(MATRIX_DIR)/%/.installed
	@echo "== ansible-core $$($(MATRIX_DIR)/$*/bin/python -c 'import ansible.release as r; print(r.__version__)')"
	IDENTITY_CLOUD_ANSIBLE_BIN=$(CURDIR)/$(MATRIX_DIR)/$*/bin $(PYTEST_RUN) -n $(MATRIX_WORKERS) --maxschedchunk 1 \
	  $(MATRIX_TESTS); $(NO_TESTS)

# ansible-test needs the collection under ansible_collections/identity/cloud, so sanity runs on a
# copy of the working tree, less the vendor API documents (test data kept as published, not collection
# code). Its sanity virtualenvs bootstrap pip from a host we may not reach: tools/get_pip_shim.py stands
# in for that script (see its docstring), in a HOME of our own.
sanity: venv-test
	rm -rf $(SANITY_DIR) && mkdir -p $(COLLECTION_DIR) .cache/home/.ansible/test/cache
	git ls-files -co --exclude-standard -z -- . ':!tests/simulators/specs' | xargs -0 cp --parents -t $(COLLECTION_DIR)
	sed "s|@PROJECT_PYTHON@|$(CURDIR)/$(BIN)/python|" tools/get_pip_shim.py > .cache/home/.ansible/test/cache/get_pip_24_2.py
	cd $(COLLECTION_DIR) && git init -q && git add -A && \
	  HOME=$(CURDIR)/.cache/home PATH="$(CURDIR)/$(BIN):$$PATH" $(CURDIR)/$(BIN)/ansible-test sanity --color no \
	    --python $$($(CURDIR)/$(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])') --venv $(SANITY_ARGS)

# ansible-lint installs the collection it checks under ~/.ansible: give it a HOME inside .cache.
lint: venv-test
	mkdir -p .cache/home
	HOME=$(CURDIR)/.cache/home ANSIBLE_HOME=$(CURDIR)/.cache/home/.ansible PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/ansible-lint --profile production

# The collection as ansible-playbook and antsibull-docs find it (the tests' conftest makes the same link).
COLLECTION_LINK := .cache/collections/ansible_collections/identity/cloud
$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

# Scenarios under extensions/molecule run the roles against the simulators on localhost (no container).
molecule: venv-test | $(COLLECTION_LINK)
	mkdir -p .cache/home
	HOME=$(CURDIR)/.cache/home PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/molecule test --all

# Documentation checks: plugin and role docs (antsibull-docs), every role's argument spec rendered by
# ansible-doc, the changelog fragments.
docs: venv-test | $(COLLECTION_LINK)
	mkdir -p .cache/home
	cd .cache/collections/ansible_collections/identity/cloud && HOME=$(CURDIR)/.cache/home PATH="$(CURDIR)/$(BIN):$$PATH" \
	  $(CURDIR)/$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .
	set -e; for role in roles/*/; do \
	  HOME=$(CURDIR)/.cache/home ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.cache/collections \
	    $(BIN)/ansible-doc -t role identity.cloud.$$(basename $$role) | grep -q '^ENTRY POINT: .*main' \
	    || { echo "ansible-doc -t role identity.cloud.$$(basename $$role) shows no argument spec" >&2; exit 1; }; done
	HOME=$(CURDIR)/.cache/home $(BIN)/antsibull-changelog lint

benchmark: venv-test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m tests.benchmarks

# sizes 100 to 10,000 (the uri loop at 100 and 1,000 only): about an hour; writes docs/performance
benchmark-scaling: venv-test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m tests.benchmarks.scaling

# make release VERSION=x.y.z: galaxy.yml's version, the changelog (antsibull-changelog release: CHANGELOG.rst and
# changelogs/changelog.yaml; the fragments are consumed), then release-check on the result. Review, commit and
# tag what it changed; .cache/release/identity-cloud-x.y.z.tar.gz is what to publish.
# release-check: the tarball built into .cache/release, its file list, galaxy-importer (local mode, its own
# pinned virtualenv) and the antsibull-docs docsite rendered by Sphinx (tests/release/check.py).
# release-test (in make test): both on a copy of the tracked files (tests/release/test_release.py).
RELEASE_DIR ?= .cache/release
RELEASE_TOOLS ?= .cache/release-tools
$(RELEASE_TOOLS)/.installed: requirements-release.txt
	rm -rf $(RELEASE_TOOLS) && $(PYTHON) -m venv $(RELEASE_TOOLS)
	$(RELEASE_TOOLS)/bin/pip install --quiet -r requirements-release.txt
	touch $@

release: venv-test
	$(MAKE) release-changelog release-check

release-changelog:
	@[[ "$(VERSION)" =~ ^[0-9]+\.[0-9]+\.[0-9]+$$ ]] || { echo "usage: make release VERSION=x.y.z" >&2; exit 2; }
	mkdir -p .cache/home
	sed -i 's/^version: .*/version: $(VERSION)/' galaxy.yml
	HOME=$(CURDIR)/.cache/home PATH="$(abspath $(BIN)):$$PATH" $(BIN)/antsibull-changelog release --version $(VERSION)

release-check: $(RELEASE_TOOLS)/.installed
	rm -rf $(RELEASE_DIR) && mkdir -p $(RELEASE_DIR)
	$(BIN)/ansible-galaxy collection build --output-path $(RELEASE_DIR)
	HOME=$(CURDIR)/.cache/home $(BIN)/python -m tests.release.check $(RELEASE_DIR)/identity-cloud-*.tar.gz \
	  --importer-python $(abspath $(RELEASE_TOOLS))/bin/python

release-test: venv-test $(RELEASE_TOOLS)/.installed
	mkdir -p .cache/home
	RELEASE_TOOLS=$(abspath $(RELEASE_TOOLS)) $(PYTEST_RUN) tests/release; $(NO_TESTS)

# One tarball in .cache/build: execution-environment.yml installs the one it finds there.
build: venv-demo
	rm -f .cache/build/identity-cloud-*.tar.gz
	$(BIN)/ansible-galaxy collection build --force --output-path .cache/build

clean:
	rm -rf $(VENV) .cache .pytest_cache
