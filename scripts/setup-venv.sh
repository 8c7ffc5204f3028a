#!/usr/bin/env bash
# Creates .venv with the default python3 and installs the project with its test extras.
set -euo pipefail
PY=${PY:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
# python3-virtualsmartcard is not on PyPI; Debian installs it outside dist-packages.
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# The package lives at /usr/lib/python3/site-packages/virtualsmartcard/virtualsmartcard.
for vsc in /usr/lib/python3/site-packages/virtualsmartcard /usr/lib/python3/dist-packages; do
  if [ -d "$vsc/virtualsmartcard" ]; then
    echo "$vsc" > "$site/debian-virtualsmartcard.pth"
    break
  fi
done
