#!/usr/bin/env bash
# tools/install-deps.sh's privilege logic, as CI and a new user meet it, in
# its dry-run mode (SL_INSTALL_DRY_RUN=1: nothing is installed): as root it
# goes straight to apt-get; as a normal user it re-runs itself through sudo
# (a fake sudo on PATH records the call); with neither root nor sudo it
# stops with exit 2 and says what to do.  Hermetic: PATH holds only the
# handful of commands the script needs.
source "$(dirname "$0")/lib.bash"
mkdir -p "$WORK/tools" "$WORK/bin" "$WORK/fakesudo"
cp "$SRC_DIR/tools/install-deps.sh" "$WORK/tools/"
chmod 755 "$WORK/tools/install-deps.sh"
for c in bash env id dirname basename cat; do ln -s "$(command -v "$c")" "$WORK/bin/$c"; done
# The fake sudo: logs what it was asked to run and its environment switch.
cat > "$WORK/fakesudo/sudo" <<SH
#!$(command -v bash)
echo "fake-sudo: \$*" > "$WORK/sudo.log"
SH
chmod 755 "$WORK/fakesudo/sudo"
chmod 777 "$WORK"   # the unprivileged user writes sudo.log here
script="$WORK/tools/install-deps.sh"
bare="$WORK/bin"

# as_user CMD...: run as an unprivileged user (nobody), or as ourselves
# when we are not root already.
as_user() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
  else
    "$@"
  fi
}

if [ "$(id -u)" -eq 0 ]; then
  expect_rc 0 env -i PATH="$bare" SL_INSTALL_DRY_RUN=1 "$script"
  has out "would run: apt-get update"
  has out "would run: apt-get install -y -qq --no-install-recommends cmake"
  lacks err "sudo"
else
  ok "not root: the root case is left to CI (runs as root)"
fi

if [ "$(id -u)" -ne 0 ] || setpriv --reuid=65534 --regid=65534 --clear-groups -- true 2>/dev/null; then
  # A normal user with sudo: the script re-runs itself through sudo, passing
  # the dry-run switch on, and runs no apt-get itself.
  expect_rc 0 as_user env -i PATH="$WORK/fakesudo:$bare" SL_INSTALL_DRY_RUN=1 "$script"
  has err "not root: re-running through sudo"
  lacks out "apt-get"
  if [ -f "$WORK/sudo.log" ]; then
    has sudo.log "fake-sudo: SL_INSTALL_DRY_RUN=1 $script"
  else
    bad "sudo was not called"
  fi
  # Neither root nor sudo: a clear message, exit 2, nothing run.
  rm -f "$WORK/sudo.log"
  expect_rc 2 as_user env -i PATH="$bare" SL_INSTALL_DRY_RUN=1 "$script"
  has err "needs root, and sudo is not installed"
  has err "run it as root instead"
  lacks out "apt-get"
  [ ! -e "$WORK/sudo.log" ] && ok "no sudo call without sudo" || bad "sudo called"
else
  ok "cannot switch to an unprivileged user here: the sudo cases are skipped"
fi

# README's first command and .ci/run call the script directly, not via sudo.
if grep -q '^tools/install-deps.sh && ' "$SRC_DIR/README.md"; then ok "README calls tools/install-deps.sh directly"
else bad "README's first command does not start with tools/install-deps.sh"; fi
if grep -q '^tools/install-deps.sh$' "$SRC_DIR/.ci/run"; then ok ".ci/run calls tools/install-deps.sh"
else bad ".ci/run does not call tools/install-deps.sh"; fi
finish
