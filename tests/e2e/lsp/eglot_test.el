;; Emacs (Debian's emacs-nox) with eglot (Debian's elpa-eglot), which runs
;; one server per major mode, against sync-lint --lsp --clangd: a file with a
;; clangd error and a sync-lint finding must show both through flymake.
;; Prints "DIAG line: text" per diagnostic; exits 0 when both are there.
(dolist (d (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path d))
(require 'eglot)
(setq eglot-server-programs
      `((c-mode . (,(getenv "SYNC_LINT") "--lsp" ,(concat "--clangd=" (getenv "SL_CLANGD"))))))
(find-file (getenv "SL_FILE"))
(c-mode)
(apply #'eglot (eglot--guess-contact))
(let ((deadline (+ (float-time) 90)) diags)
  (while (and (< (float-time) deadline)
              (progn (setq diags (flymake-diagnostics))
                     (< (length diags) 2)))
    (accept-process-output nil 0.2))
  (dolist (d diags)
    (message "DIAG %s: %s" (line-number-at-pos (flymake-diagnostic-beg d))
             (flymake-diagnostic-text d)))
  (let ((ours (seq-find (lambda (d) (string-match-p "cond-wait-not-in-loop" (flymake-diagnostic-text d))) diags))
        (clangd (seq-find (lambda (d) (string-match-p "undeclared" (flymake-diagnostic-text d))) diags)))
    (eglot-shutdown (eglot-current-server))
    (kill-emacs (if (and ours clangd) 0 1))))
