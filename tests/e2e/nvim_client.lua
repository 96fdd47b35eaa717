-- Drives aspm-ls from a real Neovim (0.7 or later, headless) the way a user's configuration
-- would: the built-in LSP client starts the server, files are opened as buffers, and the
-- diagnostics are read back both as the server published them and as Neovim stores them
-- (vim.diagnostic.get). Code actions are picked through vim.lsp.buf.code_action() and applied
-- by Neovim itself; a rescan step saves, reruns the scanner and tells the server. The results go
-- to a JSON file that tests/e2e/editors_test.cpp checks.
--
-- Run: ASPM_E2E_PLAN=plan.json nvim --headless -u NONE -c 'luafile tests/e2e/nvim_client.lua'
-- The plan (JSON) names the workspace root, the files to open and the optional hover, edit,
-- watch, actions and rescan steps; see tests/e2e/README.md. Every wait polls a condition under a deadline.

local result = {
  client = 'Neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.'
    .. tostring(vim.version().patch),
  errors = {},
  timeouts = {},
  files = {},
  registrations = {},
}

local function fail(msg)
  table.insert(result.errors, msg)
end

-- A wait that ran out: the state it reached is in the result, and the test reports the
-- difference; kept apart from errors, which mean the session itself went wrong.
local function timed_out(msg)
  table.insert(result.timeouts, msg)
end

local function read_file(path)
  local f, err = io.open(path, 'rb')
  if not f then
    return nil, err
  end
  local data = f:read('*a')
  f:close()
  return data
end

local function write_file(path, data)
  local f, err = io.open(path, 'wb')
  if not f then
    return false, err
  end
  f:write(data)
  f:close()
  return true
end

-- vim.fn.json_encode turns empty tables into [] and keeps vim.NIL as null, which is what the
-- reader expects for the list-valued fields.
local function write_result(path)
  local ok, encoded = pcall(vim.fn.json_encode, result)
  if not ok then
    encoded = vim.fn.json_encode({ client = result.client, errors = { 'cannot encode result: ' .. tostring(encoded) } })
  end
  local written, err = write_file(path, encoded)
  if not written then
    io.stderr:write('nvim_client: cannot write ' .. path .. ': ' .. tostring(err) .. '\n')
  end
end

local function code_string(code)
  if code == nil or code == vim.NIL then
    return vim.NIL
  end
  return tostring(code)
end

-- Published diagnostics use the wire shape: 0-based line, UTF-16 character; reported 1-based.
local function from_published(diags)
  local out = {}
  for _, d in ipairs(diags or {}) do
    table.insert(out, {
      line = d.range.start.line + 1,
      column = d.range.start.character + 1,
      endLine = d.range['end'].line + 1,
      code = code_string(d.code),
      source = d.source or vim.NIL,
      severity = d.severity or vim.NIL,
      message = d.message,
      href = (d.codeDescription and d.codeDescription.href) or vim.NIL,
    })
  end
  return out
end

-- What the editor holds after its own conversion (lnum/col are 0-based, col in bytes).
local function from_editor(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, {
      line = d.lnum + 1,
      column = d.col + 1,
      code = code_string(d.code),
      source = d.source or vim.NIL,
      severity = d.severity,
      message = d.message,
    })
  end
  return out
end

local function main()
  local plan_path = os.getenv('ASPM_E2E_PLAN')
  if not plan_path or plan_path == '' then
    error('ASPM_E2E_PLAN is not set')
  end
  local plan_text, err = read_file(plan_path)
  if not plan_text then
    error('cannot read plan ' .. plan_path .. ': ' .. tostring(err))
  end
  local plan = vim.fn.json_decode(plan_text)
  local root = plan.root
  local timeout = plan.timeoutMs or 30000
  local server = os.getenv('ASPM_LS') or plan.server or 'build/bin/aspm-ls'
  if vim.fn.executable(server) ~= 1 then
    error('language server not executable: ' .. server)
  end

  -- Everything the server publishes, per URI, newest last.
  local published = {}
  -- The server's window/logMessage texts, oldest first: a reread report announces itself there.
  local logs = {}
  local exit_info = nil

  vim.cmd('filetype on')

  local client_id = vim.lsp.start_client({
    name = 'aspm-ls',
    cmd = vim.list_extend({ server }, plan.serverArgs or {}),
    root_dir = root,
    init_options = plan.initializationOptions,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, params, ctx, config)
        published[params.uri] = published[params.uri] or {}
        table.insert(published[params.uri], params)
        return vim.lsp.diagnostic.on_publish_diagnostics(e, params, ctx, config)
      end,
      ['window/logMessage'] = function(e, params, ctx, config)
        table.insert(logs, params.message)
        return vim.lsp.handlers['window/logMessage'](e, params, ctx, config)
      end,
      ['client/registerCapability'] = function(e, params, ctx, config)
        for _, r in ipairs((params and params.registrations) or {}) do
          table.insert(result.registrations, { method = r.method, registerOptions = r.registerOptions or vim.NIL })
        end
        return vim.lsp.handlers['client/registerCapability'](e, params, ctx, config)
      end,
    },
    on_exit = function(code, signal)
      exit_info = { code = code, signal = signal }
    end,
  })
  if not client_id then
    error('vim.lsp.start_client failed for ' .. server)
  end
  local client = vim.lsp.get_client_by_id(client_id)

  -- vim.wait keeps the event loop running (RPC, timers) while it polls the condition. A server
  -- that died ends every wait at once: nothing more can arrive.
  local function wait(ms, cond)
    vim.wait(ms, function()
      return exit_info ~= nil or cond()
    end, 20)
    return cond()
  end

  local function check_alive(step)
    if exit_info then
      error(string.format('aspm-ls exited during %s (code %s, signal %s)', step, tostring(exit_info.code),
        tostring(exit_info.signal)))
    end
  end

  local function latest(uri)
    local list = published[uri]
    if not list or #list == 0 then
      return nil
    end
    return list[#list]
  end

  local buffers = {}
  local function open(rel)
    local path = root .. '/' .. rel
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local bufnr = vim.api.nvim_get_current_buf()
    if not vim.lsp.buf_attach_client(bufnr, client_id) then
      fail('buf_attach_client failed for ' .. rel)
    end
    buffers[rel] = bufnr
    return bufnr, vim.uri_from_bufnr(bufnr)
  end

  -- Diagnostics compared as a sorted list of 'line<TAB>code<TAB>source' keys (line 1-based).
  local function keys(list)
    local out = {}
    for _, d in ipairs(list) do
      table.insert(out, string.format('%d\t%s\t%s', d.line, tostring(d.code), tostring(d.source)))
    end
    table.sort(out)
    return out
  end

  local function published_keys(uri)
    local p = latest(uri)
    return p and keys(from_published(p.diagnostics)) or nil
  end

  -- The server may publish a file several times while reports load; the wait ends once both the
  -- latest publication and what the editor holds are the expected set. Without an expected set,
  -- the first publication for the file ends it.
  local function wait_diagnostics(rel, uri, bufnr, expect)
    local want = expect and keys(expect) or nil
    local ok = wait(timeout, function()
      local got = published_keys(uri)
      if not got then
        return false
      end
      if not want then
        return true
      end
      return vim.deep_equal(got, want) and vim.deep_equal(keys(from_editor(bufnr)), want)
    end)
    if not ok then
      timed_out(string.format('timed out after %d ms waiting for the expected diagnostics on %s', timeout, rel))
    end
  end

  local function snapshot(uri, bufnr)
    local p = latest(uri)
    return {
      published = from_published(p and p.diagnostics),
      publications = published[uri] and #published[uri] or 0,
      shown = from_editor(bufnr),
    }
  end

  -- initialize happens asynchronously after start_client; waiting here keeps the server's
  -- capabilities in the result even when no file step runs.
  if not wait(timeout, function() return client.initialized end) then
    check_alive('initialize')
    error('server did not finish initialize within ' .. timeout .. ' ms')
  end
  result.serverCapabilities = client.server_capabilities or client.resolved_capabilities or vim.NIL
  result.offsetEncoding = client.offset_encoding

  for _, item in ipairs(plan.open or {}) do
    local bufnr, uri = open(item.path)
    wait_diagnostics(item.path, uri, bufnr, item.expect)
    result.files[item.path] = snapshot(uri, bufnr)
    check_alive('open ' .. item.path)
  end

  if plan.hover then
    local h = plan.hover
    local bufnr = buffers[h.path] or open(h.path)
    local uri = vim.uri_from_bufnr(bufnr)
    local target = nil
    local p = latest(uri)
    for _, d in ipairs((p and p.diagnostics) or {}) do
      if code_string(d.code) == h.code then
        target = d
        break
      end
    end
    if not target then
      fail('no published diagnostic with code ' .. h.code .. ' on ' .. h.path .. ' to hover')
    else
      local resp, rerr = client.request_sync('textDocument/hover', {
        textDocument = { uri = uri },
        position = target.range.start,
      }, timeout, bufnr)
      local text = vim.NIL
      if not resp then
        fail('hover request failed: ' .. tostring(rerr))
      elseif resp.err then
        fail('hover returned an error: ' .. vim.inspect(resp.err))
      elseif resp.result and resp.result ~= vim.NIL then
        local lines = vim.lsp.util.convert_input_to_markdown_lines(resp.result.contents)
        text = table.concat(lines, '\n')
      end
      result.hover = {
        path = h.path,
        line = target.range.start.line + 1,
        column = target.range.start.character + 1,
        text = text,
      }
    end
  end

  check_alive('hover')

  if plan.edit then
    local e = plan.edit
    local bufnr = buffers[e.path] or open(e.path)
    local uri = vim.uri_from_bufnr(bufnr)
    local before = snapshot(uri, bufnr)
    local n = e.insertLines
    local blank = {}
    for i = 1, n do
      blank[i] = ''
    end
    vim.api.nvim_buf_set_lines(bufnr, 0, 0, false, blank)
    -- The server has followed the edit once it republished the same findings n lines lower.
    local want = {}
    for _, d in ipairs(before.published) do
      table.insert(want, { line = d.line + n, code = d.code, source = d.source })
    end
    want = keys(want)
    local ok = wait(timeout, function()
      return vim.deep_equal(published_keys(uri), want) and vim.deep_equal(keys(from_editor(bufnr)), want)
    end)
    if not ok then
      timed_out('timed out after ' .. timeout .. ' ms waiting for diagnostics on ' .. e.path
        .. ' to move down ' .. n .. ' lines')
    end
    local after = snapshot(uri, bufnr)
    result.edit = {
      path = e.path,
      insertLines = n,
      before = before.published,
      published = after.published,
      shown = after.shown,
    }
  end

  check_alive('edit')

  if plan.watch then
    local w = plan.watch
    local caps = vim.lsp.protocol.make_client_capabilities()
    local dcwf = caps.workspace and caps.workspace.didChangeWatchedFiles
    local supported = dcwf ~= nil and dcwf.dynamicRegistration == true
    result.watch = { path = w.path, supported = supported }
    if supported then
      local bufnr = buffers[w.path] or open(w.path)
      local uri = vim.uri_from_bufnr(bufnr)
      result.watch.before = snapshot(uri, bufnr).published
      local from = w.from
      if from:sub(1, 1) ~= '/' then
        from = root .. '/' .. from
      end
      local data, rerr = read_file(from)
      if not data then
        fail('cannot read ' .. w.from .. ': ' .. tostring(rerr))
      else
        write_file(root .. '/' .. w.to, data)
        wait_diagnostics(w.path, uri, bufnr, w.expect)
      end
      local after = snapshot(uri, bufnr)
      result.watch.published = after.published
      result.watch.shown = after.shown
    else
      result.watch.reason = 'this Neovim does not offer dynamic registration of '
        .. 'workspace/didChangeWatchedFiles'
    end
  end

  check_alive('watch')

  local function line_text(bufnr, lnum0)
    return vim.api.nvim_buf_get_lines(bufnr, lnum0, lnum0 + 1, false)[1] or vim.NIL
  end

  local function find_published(uri, code)
    local p = latest(uri)
    for _, d in ipairs((p and p.diagnostics) or {}) do
      if code_string(d.code) == code then
        return d
      end
    end
    return nil
  end

  local function has_code(list, code)
    for _, d in ipairs(list) do
      if d.code == code then
        return true
      end
    end
    return false
  end

  -- A code action picked the way a user picks one: the cursor on the finding (or the line),
  -- vim.lsp.buf.code_action(), which sends the line's diagnostics converted back to LSP (their
  -- `data` included) as the context, and the choice made in vim.ui.select, the extension point
  -- Neovim offers for that menu. Neovim applies the chosen action's edit itself.
  local function run_action(a)
    local bufnr = buffers[a.path] or open(a.path)
    local uri = vim.uri_from_bufnr(bufnr)
    local rec = { path = a.path, choose = a.choose, offered = {}, chosen = vim.NIL, contextFindingIds = {} }
    local lnum, col
    if a.code then
      -- Right after opening, the file's findings may still be on their way.
      wait(timeout, function() return find_published(uri, a.code) ~= nil end)
      local target = find_published(uri, a.code)
      if not target then
        fail('no published diagnostic with code ' .. a.code .. ' on ' .. a.path .. ' to act on')
        return rec
      end
      lnum = target.range.start.line
      local text = line_text(bufnr, lnum)
      col = vim.str_byteindex(text ~= vim.NIL and text or '', target.range.start.character, true)
    else
      lnum, col = a.line - 1, 0
    end
    vim.api.nvim_set_current_buf(bufnr)
    vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
    rec.line = lnum + 1
    rec.before = line_text(bufnr, lnum)
    for _, d in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, lnum)) do
      table.insert(rec.contextFindingIds, (type(d.data) == 'table' and d.data.findingId) or vim.NIL)
    end

    local answered = false
    local select, notify = vim.ui.select, vim.notify
    vim.ui.select = function(items, _, on_choice)
      answered = true
      local pick = nil
      for _, item in ipairs(items) do
        local action = item[2]
        local command = type(action.command) == 'table' and action.command.command or action.command
        table.insert(rec.offered, {
          title = action.title,
          kind = action.kind or vim.NIL,
          edit = action.edit ~= nil,
          command = command or vim.NIL,
        })
        if not pick and action.title:find(a.choose, 1, true) then
          pick = item
        end
      end
      if pick then
        rec.chosen = pick[2].title
      end
      on_choice(pick)
    end
    -- With nothing to offer, Neovim says so through vim.notify instead of opening the menu.
    vim.notify = function(msg, ...)
      if type(msg) == 'string' and msg:find('No code actions', 1, true) then
        answered = true
      end
      return notify(msg, ...)
    end
    local tick = vim.api.nvim_buf_get_changedtick(bufnr)
    local ok, err = pcall(vim.lsp.buf.code_action)
    if not ok then
      fail('vim.lsp.buf.code_action failed on ' .. a.path .. ': ' .. tostring(err))
    elseif not wait(timeout, function() return answered end) then
      timed_out('timed out after ' .. timeout .. ' ms waiting for the code actions on ' .. a.path .. ':' .. rec.line)
    end
    vim.ui.select, vim.notify = select, notify

    if rec.chosen == vim.NIL then
      fail('no code action on ' .. a.path .. ':' .. rec.line .. ' has "' .. a.choose .. '" in its title')
    elseif not wait(timeout, function() return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick end) then
      timed_out('timed out after ' .. timeout .. ' ms waiting for "' .. rec.chosen .. '" to change ' .. a.path)
    end
    rec.after = line_text(bufnr, lnum)
    if a.recordBuffer then
      rec.buffer = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
    end
    -- The server judges suppression comments on the open buffer: the finding leaves at once.
    if a.hides then
      local gone = wait(timeout, function()
        local p = latest(uri)
        return not has_code(from_published(p and p.diagnostics), a.hides) and not has_code(from_editor(bufnr), a.hides)
      end)
      if not gone then
        timed_out('timed out after ' .. timeout .. ' ms waiting for ' .. a.hides .. ' to leave ' .. a.path)
      end
      local snap = snapshot(uri, bufnr)
      rec.published = snap.published
      rec.shown = snap.shown
    end
    return rec
  end

  if plan.actions then
    result.actions = {}
    for _, a in ipairs(plan.actions) do
      table.insert(result.actions, run_action(a))
      check_alive('code action on ' .. a.path)
    end
  end

  -- The tool's next scan: the buffer is saved, the scanner runs over the workspace and rewrites
  -- its report, and the client tells the server the report changed (Neovim 0.7 cannot watch files
  -- for the server, so the notification is sent the way a file-watcher plugin would send it).
  if plan.rescan then
    local rs = plan.rescan
    local bufnr = buffers[rs.path] or open(rs.path)
    local uri = vim.uri_from_bufnr(bufnr)
    local rec = { path = rs.path, exitCode = vim.NIL, stderr = '', reread = vim.NIL }
    vim.api.nvim_buf_call(bufnr, function() vim.cmd('silent write') end)
    rec.modifiedAfterWrite = vim.api.nvim_buf_get_option(bufnr, 'modified')
    local exited, stderr = nil, {}
    local job = vim.fn.jobstart(rs.argv, {
      cwd = root,
      stderr_buffered = true,
      on_stderr = function(_, data) stderr = data or {} end,
      on_exit = function(_, code) exited = code end,
    })
    if job <= 0 then
      fail('cannot start the scanner ' .. tostring(rs.argv[1]) .. ' (jobstart returned ' .. job .. ')')
    elseif not wait(timeout, function() return exited ~= nil end) then
      timed_out('the scanner ' .. rs.argv[1] .. ' did not finish within ' .. timeout .. ' ms')
      vim.fn.jobstop(job)
    end
    rec.exitCode = exited or vim.NIL
    rec.stderr = table.concat(stderr, '\n')

    local function loads()
      local out = {}
      for _, m in ipairs(logs) do
        if m:find('^loaded ') then
          table.insert(out, m)
        end
      end
      return out
    end
    local loads_before = #loads()
    client.notify('workspace/didChangeWatchedFiles', {
      changes = { { uri = vim.uri_from_fname(root .. '/' .. rs.report), type = 2 } },
    })
    -- The server announces each reread report with a "loaded ..." log message; after it, both
    -- what the server published and what Neovim holds must be the expected set.
    local want = keys(rs.expect or {})
    local settled = wait(timeout, function()
      return #loads() > loads_before and vim.deep_equal(published_keys(uri) or {}, want)
        and vim.deep_equal(keys(from_editor(bufnr)), want)
    end)
    if not settled then
      timed_out('timed out after ' .. timeout .. ' ms waiting for the rescanned ' .. rs.report .. ' to be reread and '
        .. rs.path .. ' to show the expected diagnostics')
    end
    local after = loads()
    if #after > loads_before then
      rec.reread = after[#after]
    end
    local snap = snapshot(uri, bufnr)
    rec.published = snap.published
    rec.shown = snap.shown
    result.rescan = rec
  end

  check_alive('rescan')

  -- Line edits made as a user makes them, each followed by the diagnostics it must lead to:
  -- {path, op = 'delete' | 'insert' | 'undo', line (1-based), text (insert), expect}.
  if plan.lineEdits then
    result.lineEdits = {}
    for i, step in ipairs(plan.lineEdits) do
      local bufnr = buffers[step.path] or open(step.path)
      local uri = vim.uri_from_bufnr(bufnr)
      -- Each step is its own undo block, as separate user actions are (setting 'undolevels' to
      -- its own value closes the current block).
      vim.api.nvim_buf_call(bufnr, function() vim.bo.undolevels = vim.bo.undolevels end)
      vim.o.undolevels = vim.o.undolevels
      if step.op == 'delete' then
        vim.api.nvim_buf_set_lines(bufnr, step.line - 1, step.line, false, {})
      elseif step.op == 'insert' then
        vim.api.nvim_buf_set_lines(bufnr, step.line - 1, step.line - 1, false, { step.text })
      elseif step.op == 'undo' then
        vim.api.nvim_buf_call(bufnr, function() vim.cmd('silent undo') end)
      else
        fail('unknown line edit ' .. tostring(step.op))
      end
      wait_diagnostics(step.path, uri, bufnr, step.expect)
      local snap = snapshot(uri, bufnr)
      table.insert(result.lineEdits, {
        op = step.op,
        text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n'),
        published = snap.published,
        shown = snap.shown,
      })
      check_alive('line edit ' .. i)
    end
  end

  client.stop()
  if not wait(timeout, function() return exit_info ~= nil end) then
    fail('server did not exit within ' .. timeout .. ' ms of shutdown')
    client.stop(true)
  end
  result.serverExit = exit_info or vim.NIL
end

local out = os.getenv('ASPM_E2E_OUT')
local ok, err = xpcall(main, debug.traceback)
if not ok then
  fail('script error: ' .. tostring(err))
end
if out and out ~= '' then
  write_result(out)
else
  io.stdout:write(vim.fn.json_encode(result) .. '\n')
end
if #result.errors > 0 or #result.timeouts > 0 then
  vim.cmd('cquit')
else
  vim.cmd('qall!')
end
