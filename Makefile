# Quick start: `make run` serves the app, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# Loopback only by default. To serve a LAN, put an authenticating reverse proxy in front (README).
ADDRESS ?= 127.0.0.1
# CPU build of torch. A GPU user sets e.g. TORCH_SPEC="torch==2.13.0" with the CUDA index:
#   make TORCH_SPEC=torch==2.13.0 PIP_EXTRA="--index-url <your CUDA wheel index>"
TORCH_SPEC ?= torch==2.13.0
PIP_EXTRA  ?=
# A local wheel folder (this machine keeps the CPU torch wheel in /opt/wheels) is used if present.
PIP_FLAGS  := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,) $(PIP_EXTRA)

.PHONY: install run serve-api test index browser-deps pg-deps docs-deps clean

# $(call step,what it does,command): says what the step does, runs it, says how long it took.
define step
@printf '==> %s\n' "$(1)"; t0=$$(date +%s); $(2) && printf '    完成，用时 %s 秒\n' "$$(( $$(date +%s) - t0 ))"
endef

$(VENV)/.installed: pyproject.toml
	$(call step,创建虚拟环境 $(VENV),test -x $(BIN)/python || $(PYTHON) -m venv $(VENV))
	$(call step,安装 PyTorch CPU 版（首次约 1–3 分钟，约 200 MB）,$(BIN)/python -m pip install -q $(PIP_FLAGS) "$(TORCH_SPEC)")
	$(call step,安装其余依赖（首次约 2–4 分钟）,$(BIN)/python -m pip install -q $(PIP_FLAGS) -e '.[test]')
	@touch $@

install: $(VENV)/.installed

index: install
	$(call step,检查并按需构建检索索引（首次约 10 秒）,$(BIN)/assistant index build --if-needed)

# `assistant.ui.serve` loads the index and model, then runs `streamlit run app.py` in the same process.
run: index
	@printf '==> 启动应用：先加载索引和模型，然后在 http://%s:%s 提供服务（Ctrl+C 停止）\n' "$(ADDRESS)" "$(PORT)"
	$(BIN)/python -m assistant.ui.serve --server.address $(ADDRESS) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

# The HTTP API: OpenAI-compatible /v1/chat/completions, REST /api/…, docs at /docs; loopback by default.
API_PORT    ?= 8000
API_WORKERS ?= 1
serve-api: index
	$(BIN)/assistant serve --host $(ADDRESS) --port $(API_PORT) --workers $(API_WORKERS)

test: install
	$(BIN)/python -m pytest

# Debian's Chromium and CJK/emoji fonts for the browser tests (needs root; CI runs it before `make test`).
BROWSER_PACKAGES := chromium fonts-noto-cjk fonts-noto-color-emoji
browser-deps:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q $(BROWSER_PACKAGES); }

# Debian's PostgreSQL for the store tests (needs root; CI runs it before `make test`). The tests start
# their own throwaway cluster on a loopback port; no system service is used.
PG_PACKAGES := postgresql
pg-deps:
	@dpkg -s $(PG_PACKAGES) >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q $(PG_PACKAGES); }

# LibreOffice (no GUI), poppler and CJK fonts: the export tests render every DOCX to PDF and check
# the pages (A4, CJK fonts, page numbers). Needs root; CI runs it before `make test`.
DOCS_PACKAGES := libreoffice-writer-nogui poppler-utils fonts-noto-cjk
docs-deps:
	@dpkg -s $(DOCS_PACKAGES) >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q $(DOCS_PACKAGES); }

clean:
	rm -rf $(VENV) index/data-* index/manifest.json index/.build.lock
