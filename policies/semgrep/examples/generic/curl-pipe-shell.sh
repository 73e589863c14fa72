#!/bin/sh
set -eu
# ruleid: gantry.generic.curl-pipe-shell
curl -fsSL https://example.com/install.sh | sh
# ok: gantry.generic.curl-pipe-shell
curl -fsSLo /tmp/install.sh https://example.com/install.sh
