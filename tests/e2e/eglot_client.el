;;; eglot_client.el --- drive aspm-ls from Emacs eglot in batch mode  -*- lexical-binding: t; -*-

;; Drives aspm-ls from a real Emacs (30 or later, with its built-in eglot) the way a user would:
;; files are visited in a project, `eglot-ensure' connects, and flymake shows the findings. The
;; diagnostics are read back both as the server published them and as flymake holds them, and
;; the code actions at a finding are listed as `eglot-code-actions' asks for them. The results go
;; to a JSON file that tests/e2e/editors_test.cpp checks.
;;
;; Run: ASPM_E2E_PLAN=plan.json ASPM_E2E_OUT=out.json emacs -Q --batch -l tests/e2e/eglot_client.el
;; The plan (JSON) names the workspace root, the files to open and the optional hover, edit,
;; listActions and watch steps; see tests/e2e/README.md. Every wait polls a condition under a deadline.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'subr-x)
(require 'project)
(require 'flymake)
(require 'eglot)

(defvar aspm-e2e--errors nil "Failures seen so far, newest first.")
(defvar aspm-e2e--published (make-hash-table :test #'equal)
  "URI -> list of publishDiagnostics params as the server sent them, newest first.")
(defvar aspm-e2e--registrations nil "Dynamic registrations the server asked for, newest first.")
(defvar aspm-e2e--root nil "Workspace root directory, with a trailing slash.")
(defvar aspm-e2e--server nil "The eglot server object once connected.")

(defun aspm-e2e--fail (fmt &rest args)
  (push (apply #'format fmt args) aspm-e2e--errors))

(defvar aspm-e2e--timeouts nil
  "Waits that ran out, newest first. The state they reached is in the result and the test
reports the difference; kept apart from errors, which mean the session itself went wrong.")

(defun aspm-e2e--timed-out (fmt &rest args)
  (push (apply #'format fmt args) aspm-e2e--timeouts))

;; Record what arrives on the wire before eglot converts it, so the test can tell a server fault
;; from an editor one.
(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql textDocument/publishDiagnostics)) &rest params &key uri &allow-other-keys)
  (push params (gethash uri aspm-e2e--published)))

(cl-defmethod eglot-handle-request :before
  (_server (_method (eql client/registerCapability)) &key registrations)
  (cl-loop for r across registrations
           do (push (list :method (plist-get r :method)
                          :registerOptions (or (plist-get r :registerOptions) :null))
                    aspm-e2e--registrations)))

;; A temporary copy of the example has no VCS, so without this eglot would treat each file's own
;; directory as the project and start one server per directory.
(defun aspm-e2e--project (dir)
  (when (and aspm-e2e--root (file-in-directory-p dir aspm-e2e--root))
    (cons 'transient aspm-e2e--root)))

(defun aspm-e2e--go-idle ()
  "Run the idle timers an interactive Emacs would run once the user stops typing.
Batch Emacs never becomes idle, and eglot sends didChange from an idle timer."
  (dolist (timer (copy-sequence timer-idle-list))
    (when (memq timer timer-idle-list)
      (timer-event-handler timer))))

(defun aspm-e2e--wait (timeout-ms pred)
  "Poll PRED until it returns non-nil or TIMEOUT-MS pass; return PRED's last value.
`read-event' with a timeout lets process output, timers and file notifications through."
  (let ((deadline (+ (float-time) (/ timeout-ms 1000.0)))
        (value nil))
    ;; A server that died ends every wait at once: nothing more can arrive.
    (while (and (not (setq value (funcall pred)))
                (< (float-time) deadline)
                (or (null aspm-e2e--server) (jsonrpc-running-p aspm-e2e--server)))
      (aspm-e2e--go-idle)
      (accept-process-output nil 0.01)
      (read-event nil nil 0.01))
    (when (and (not value) aspm-e2e--server (not (jsonrpc-running-p aspm-e2e--server))
               (not (member "aspm-ls exited during the session" aspm-e2e--errors)))
      (aspm-e2e--fail "aspm-ls exited during the session"))
    value))

(defun aspm-e2e--code-string (code)
  (cond ((null code) :null)
        ((stringp code) code)
        (t (format "%s" code))))

(defun aspm-e2e--latest (uri)
  (car (gethash uri aspm-e2e--published)))

(defun aspm-e2e--from-published (diags)
  (vconcat
   (cl-loop for d across (or diags [])
            for range = (plist-get d :range)
            for start = (plist-get range :start)
            collect (list :line (1+ (plist-get start :line))
                          :column (1+ (plist-get start :character))
                          :endLine (1+ (plist-get (plist-get range :end) :line))
                          :code (aspm-e2e--code-string (plist-get d :code))
                          :source (or (plist-get d :source) :null)
                          :severity (or (plist-get d :severity) :null)
                          :message (plist-get d :message)
                          :href (or (plist-get (plist-get d :codeDescription) :href) :null)))))

(defun aspm-e2e--severity (type)
  (pcase type
    ('eglot-error 1) ('eglot-warning 2) ('eglot-note 3)
    (:error 1) (:warning 2) (:note 3)
    (_ 4)))

(defun aspm-e2e--from-editor (buffer)
  "Flymake's diagnostics in BUFFER, positioned by where flymake's overlays sit now."
  (with-current-buffer buffer
    (save-restriction
      (widen)
      (vconcat
       (cl-loop for d in (sort (flymake-diagnostics (point-min) (point-max))
                               (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))
                for beg = (flymake-diagnostic-beg d)
                for lsp = (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))
                collect (list :line (line-number-at-pos beg t)
                              :column (save-excursion (goto-char beg) (1+ (current-column)))
                              :code (aspm-e2e--code-string (plist-get lsp :code))
                              :source (or (plist-get lsp :source) :null)
                              :severity (aspm-e2e--severity (flymake-diagnostic-type d))
                              :message (flymake-diagnostic-text d)))))))

(defun aspm-e2e--snapshot (uri buffer)
  (let ((p (aspm-e2e--latest uri)))
    (list :published (aspm-e2e--from-published (plist-get p :diagnostics))
          :publications (length (gethash uri aspm-e2e--published))
          :shown (aspm-e2e--from-editor buffer))))

(defun aspm-e2e--uri (buffer)
  (with-current-buffer buffer
    (eglot-path-to-uri (buffer-file-name))))

(defun aspm-e2e--open (rel)
  "Visit REL under the workspace in the selected window and make sure eglot manages it."
  (let ((buffer (find-file (expand-file-name rel aspm-e2e--root))))
    (with-current-buffer buffer
      (unless (bound-and-true-p eglot--managed-mode)
        ;; What a user's `eglot-ensure' in a mode hook does; it connects after the command.
        (eglot-ensure)
        (run-hooks 'post-command-hook))
      (if (bound-and-true-p eglot--managed-mode)
          (setq aspm-e2e--server (eglot-current-server))
        (error "Eglot does not manage %s" rel))
      ;; Flymake defers its first check until the buffer is on display, which it learns from
      ;; this hook; batch Emacs has no redisplay to run it.
      (run-hooks 'window-configuration-change-hook))
    buffer))

(defun aspm-e2e--keys (diags)
  "DIAGS (a vector of plists with :line :code :source) as a sorted list of keys."
  (sort (cl-loop for d across diags
                 collect (format "%s\t%s\t%s" (plist-get d :line) (plist-get d :code)
                                 (plist-get d :source)))
        #'string<))

(defun aspm-e2e--published-keys (uri)
  (when-let ((p (aspm-e2e--latest uri)))
    (aspm-e2e--keys (aspm-e2e--from-published (plist-get p :diagnostics)))))

(defun aspm-e2e--settled-p (uri buffer want)
  "Whether both the latest publication for URI and flymake in BUFFER hold WANT (keys)."
  (and (equal (aspm-e2e--published-keys uri) want)
       (equal (aspm-e2e--keys (aspm-e2e--from-editor buffer)) want)))

(defun aspm-e2e--wait-diagnostics (timeout rel uri buffer expect)
  "Wait until URI's diagnostics are EXPECT (a vector of plists), or any arrived if EXPECT is nil.
The server may publish a file several times while reports load."
  (let ((want (and expect (aspm-e2e--keys expect))))
    (unless (aspm-e2e--wait
             timeout
             (lambda ()
               (and (aspm-e2e--latest uri)
                    (or (null want) (aspm-e2e--settled-p uri buffer want)))))
      (aspm-e2e--timed-out "timed out after %d ms waiting for the expected diagnostics on %s"
                      timeout rel))))

(defun aspm-e2e--hover-text (contents)
  (cond ((stringp contents) contents)
        ((vectorp contents) (mapconcat #'aspm-e2e--hover-text contents "\n"))
        ((plist-get contents :value))
        (t (format "%S" contents))))

(defun aspm-e2e--run (plan)
  (let* ((timeout (or (plist-get plan :timeoutMs) 30000))
         (server (or (getenv "ASPM_LS") (plist-get plan :server) "build/bin/aspm-ls"))
         (files (make-hash-table :test #'equal))
         (buffers (make-hash-table :test #'equal))
         result)
    (setq aspm-e2e--root (file-name-as-directory (expand-file-name (plist-get plan :root))))
    (unless (file-executable-p server)
      (error "Language server not executable: %s" server))
    (add-hook 'project-find-functions #'aspm-e2e--project)
    (setq eglot-server-programs
          `((((c-mode :language-id "c") (c++-mode :language-id "cpp")
              (js-mode :language-id "javascript") (python-mode :language-id "python")
              (sh-mode :language-id "shellscript"))
             . (,server ,@(append (plist-get plan :serverArgs) nil)
                        ,@(when-let ((opts (plist-get plan :initializationOptions)))
                            (list :initializationOptions opts))))))
    (setq eglot-sync-connect t
          eglot-connect-timeout (max 1 (/ timeout 1000))
          eglot-autoshutdown nil)

    (dolist (item (append (plist-get plan :open) nil))
      (let* ((rel (plist-get item :path))
             (buffer (aspm-e2e--open rel))
             (uri (aspm-e2e--uri buffer)))
        (puthash rel buffer buffers)
        (aspm-e2e--wait-diagnostics timeout rel uri buffer (plist-get item :expect))
        (puthash rel (aspm-e2e--snapshot uri buffer) files)))
    (setq result (plist-put result :files files))

    (when aspm-e2e--server
      (setq result (plist-put result :serverCapabilities (eglot--capabilities aspm-e2e--server))))

    (when-let ((h (plist-get plan :hover)))
      (let* ((rel (plist-get h :path))
             (buffer (or (gethash rel buffers) (aspm-e2e--open rel)))
             (uri (aspm-e2e--uri buffer))
             (target (cl-find (plist-get h :code)
                              (plist-get (aspm-e2e--latest uri) :diagnostics)
                              :key (lambda (d) (aspm-e2e--code-string (plist-get d :code)))
                              :test #'equal)))
        (if (not target)
            (aspm-e2e--fail "no published diagnostic with code %s on %s to hover"
                            (plist-get h :code) rel)
          (with-current-buffer buffer
            (let* ((start (plist-get (plist-get target :range) :start))
                   (pos (eglot--lsp-position-to-point start))
                   (text :null))
              (goto-char pos)
              (condition-case err
                  (let ((resp (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                               (eglot--TextDocumentPositionParams)
                                               :timeout (/ timeout 1000.0))))
                    (when resp
                      (setq text (aspm-e2e--hover-text (plist-get resp :contents)))))
                (error (aspm-e2e--fail "hover request failed: %s" (error-message-string err))))
              (setq result (plist-put result :hover
                                      (list :path rel
                                            :line (1+ (plist-get start :line))
                                            :column (1+ (plist-get start :character))
                                            :text text))))))))

    (when-let ((e (plist-get plan :edit)))
      (let* ((rel (plist-get e :path))
             (n (plist-get e :insertLines))
             (buffer (or (gethash rel buffers) (aspm-e2e--open rel)))
             (uri (aspm-e2e--uri buffer))
             (before (aspm-e2e--snapshot uri buffer))
             (want (aspm-e2e--keys
                    (vconcat (cl-loop for d across (plist-get before :published)
                                      collect (list :line (+ n (plist-get d :line))
                                                    :code (plist-get d :code)
                                                    :source (plist-get d :source)))))))
        (with-current-buffer buffer
          (save-excursion
            (goto-char (point-min))
            (insert (make-string n ?\n))))
        ;; The server has followed the edit once it republished the same findings n lines lower.
        (unless (aspm-e2e--wait timeout (lambda () (aspm-e2e--settled-p uri buffer want)))
          (aspm-e2e--timed-out "timed out after %d ms waiting for diagnostics on %s to move down %d lines"
                          timeout rel n))
        (let ((after (aspm-e2e--snapshot uri buffer)))
          (setq result (plist-put result :edit
                                  (list :path rel :insertLines n
                                        :before (plist-get before :published)
                                        :published (plist-get after :published)
                                        :shown (plist-get after :shown)))))))

    ;; The code actions at a finding, asked for the way `eglot-code-actions' asks when the user
    ;; invokes it there: the bounds of the flymake diagnostics at point, with their LSP
    ;; diagnostics (`data' included) as the context. Called non-interactively it returns the
    ;; actions instead of prompting for one.
    (when-let ((a (plist-get plan :listActions)))
      (let* ((rel (plist-get a :path))
             (buffer (or (gethash rel buffers) (aspm-e2e--open rel)))
             (uri (aspm-e2e--uri buffer))
             (target (cl-find (plist-get a :code)
                              (plist-get (aspm-e2e--latest uri) :diagnostics)
                              :key (lambda (d) (aspm-e2e--code-string (plist-get d :code)))
                              :test #'equal)))
        (if (not target)
            (aspm-e2e--fail "no published diagnostic with code %s on %s to list code actions for"
                            (plist-get a :code) rel)
          (with-current-buffer buffer
            (let* ((start (plist-get (plist-get target :range) :start))
                   (bounds (progn (goto-char (eglot--lsp-position-to-point start))
                                  (eglot--code-action-bounds)))
                   (context (cl-loop for d in (flymake-diagnostics (car bounds) (cadr bounds))
                                     for lsp = (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))
                                     when lsp
                                     collect (or (plist-get (plist-get lsp :data) :findingId) :null)))
                   (offered nil))
              (condition-case err
                  (dolist (action (eglot-code-actions (car bounds) (cadr bounds)))
                    (let ((command (plist-get action :command)))
                      (push (list :title (plist-get action :title)
                                  :kind (or (plist-get action :kind) :null)
                                  :edit (if (plist-get action :edit) t :json-false)
                                  :command (cond ((stringp command) command)
                                                 (command (plist-get command :command))
                                                 (t :null)))
                            offered)))
                (error (aspm-e2e--fail "code action request failed: %s" (error-message-string err))))
              (setq result (plist-put result :actions
                                      (vector (list :path rel
                                                    :line (1+ (plist-get start :line))
                                                    :contextFindingIds (vconcat context)
                                                    :offered (vconcat (nreverse offered)))))))))))

    (when-let ((w (plist-get plan :watch)))
      (let* ((rel (plist-get w :path))
             (buffer (or (gethash rel buffers) (aspm-e2e--open rel)))
             (uri (aspm-e2e--uri buffer))
             (watching (lambda ()
                         (cl-some (lambda (r) (equal (plist-get r :method)
                                                     "workspace/didChangeWatchedFiles"))
                                  aspm-e2e--registrations)))
             (watch (list :path rel :supported t)))
        ;; The server registers its watcher after `initialized'; dropping the file before the
        ;; client watches would test nothing.
        (unless (aspm-e2e--wait timeout watching)
          (aspm-e2e--timed-out "server registered no workspace/didChangeWatchedFiles watcher within %d ms"
                          timeout))
        (setq watch (plist-put watch :before
                               (plist-get (aspm-e2e--snapshot uri buffer) :published)))
        (copy-file (expand-file-name (plist-get w :from) aspm-e2e--root)
                   (expand-file-name (plist-get w :to) aspm-e2e--root) t)
        (aspm-e2e--wait-diagnostics timeout rel uri buffer (plist-get w :expect))
        (let ((after (aspm-e2e--snapshot uri buffer)))
          (setq watch (plist-put watch :published (plist-get after :published)))
          (setq watch (plist-put watch :shown (plist-get after :shown))))
        (setq result (plist-put result :watch watch))))

    (let* ((server-obj aspm-e2e--server)
           (proc (and server-obj (jsonrpc--process server-obj))))
      (when server-obj
        (condition-case err
            (eglot-shutdown server-obj nil (/ timeout 1000.0))
          (error (aspm-e2e--fail "shutdown failed: %s" (error-message-string err))))
        (unless (aspm-e2e--wait timeout (lambda () (not (process-live-p proc))))
          (aspm-e2e--fail "server did not exit within %d ms of shutdown" timeout))
        (setq result (plist-put result :serverExit
                                (list :code (process-exit-status proc)
                                      :signal (if (eq (process-status proc) 'signal)
                                                  (process-exit-status proc) 0))))))
    result))

(defun aspm-e2e-main ()
  (let ((plan-path (getenv "ASPM_E2E_PLAN"))
        (out (and (getenv "ASPM_E2E_OUT") (expand-file-name (getenv "ASPM_E2E_OUT"))))
        (result nil))
    (condition-case err
        (progn
          (unless (and plan-path (not (string-empty-p plan-path)))
            (error "ASPM_E2E_PLAN is not set"))
          (let ((plan (with-temp-buffer
                        (insert-file-contents plan-path)
                        (json-parse-buffer :object-type 'plist :null-object nil :false-object nil))))
            (setq result (aspm-e2e--run plan))))
      (error (aspm-e2e--fail "script error: %s" (error-message-string err))))
    (setq result (plist-put result :client (format "Emacs %s" emacs-version)))
    (setq result (plist-put result :registrations (vconcat (reverse aspm-e2e--registrations))))
    (setq result (plist-put result :errors (vconcat (reverse aspm-e2e--errors))))
    (setq result (plist-put result :timeouts (vconcat (reverse aspm-e2e--timeouts))))
    (let ((json (condition-case err
                    (json-serialize result :null-object :null :false-object :json-false)
                  (error
                   (aspm-e2e--fail "cannot encode the result: %s" (error-message-string err))
                   (json-serialize (list :client (plist-get result :client)
                                         :errors (vconcat (reverse aspm-e2e--errors))))))))
      ;; Messages carry non-ASCII text (gcc quotes with U+2018/U+2019): write the UTF-8 bytes
      ;; as they are.
      (when (multibyte-string-p json)
        (setq json (encode-coding-string json 'utf-8-unix)))
      (if (and out (not (string-empty-p out)))
          (let ((coding-system-for-write 'no-conversion))
            (with-temp-file out
              (set-buffer-multibyte nil)
              (insert json)))
        (princ json)
        (terpri)))
    (kill-emacs (if (or aspm-e2e--errors aspm-e2e--timeouts) 1 0))))

(aspm-e2e-main)

;;; eglot_client.el ends here
