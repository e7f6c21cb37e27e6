-- fix_check.lua: drive berth's Neovim plugin in a real headless Neovim.
-- Opens one file, waits for berth's diagnostics, applies the quick fix for
-- one rule through vim.lsp.buf.code_action (Neovim's own code path), writes
-- the file, and optionally applies `source.fixAll.berth` and writes the
-- result to a second file. Used by tests/tests/nvim.rs; runnable by hand:
--
--   BERTH_TEST_FILE=Dockerfile BERTH_TEST_CODE=DL3020 \
--   nvim --headless --clean -n --cmd 'set rtp^=editors/nvim' -c 'luafile editors/nvim/test/fix_check.lua'
--
-- Environment:
--   BERTH_TEST_FILE        the file to edit (required)
--   BERTH_TEST_CODE        the rule whose quick fix to apply (required)
--   BERTH_TEST_BIN         the berth binary (default: `berth`)
--   BERTH_TEST_MODE        how the plugin is set up: `enable` (vim.lsp.enable,
--                          Neovim 0.11+, with lsp/berth.lua), `setup`
--                          (require('berth').setup{}), `legacy` (setup with the
--                          FileType path that Neovim 0.7-0.10 use); default `enable`
--   BERTH_TEST_FILETYPE    the filetype the buffer must get (checked when set)
--   BERTH_TEST_FIXALL_OUT  apply source.fixAll.berth after the quick fix (code_action in
--                          mode `enable`, require('berth').fix_all() otherwise) and write here
--   BERTH_TEST_SETTINGS    JSON: the `berth` settings section to configure
--   BERTH_TEST_TIMEOUT_MS  overall budget (default 20000)
--
-- Prints one JSON object a line ({"type": "...", ...}); the last is
-- {"type":"done"} on success. Exit code 0 on success, 1 on any failure.

local uv = vim.uv or vim.loop
local t0 = uv.hrtime()
local function ms()
  return math.floor((uv.hrtime() - t0) / 1e6)
end

local function emit(kind, tbl)
  tbl = tbl or {}
  tbl.type = kind
  tbl.ms = ms()
  io.stdout:write(vim.json.encode(tbl) .. '\n')
  io.stdout:flush()
end

local function quit(code)
  io.stdout:flush()
  if code == 0 then
    vim.cmd('silent! qall!')
  else
    vim.cmd('silent! cquit ' .. code)
  end
end

local notes = {}
vim.notify = function(msg, level)
  table.insert(notes, tostring(msg))
  io.stderr:write('[notify] ' .. tostring(msg) .. '\n')
end

local env = vim.env
local file = assert(env.BERTH_TEST_FILE, 'BERTH_TEST_FILE is required')
local code = assert(env.BERTH_TEST_CODE, 'BERTH_TEST_CODE is required')
local bin = env.BERTH_TEST_BIN or 'berth'
local mode = env.BERTH_TEST_MODE or 'enable'
local budget = tonumber(env.BERTH_TEST_TIMEOUT_MS or '') or 20000
local settings = env.BERTH_TEST_SETTINGS and vim.json.decode(env.BERTH_TEST_SETTINGS) or nil

local function remaining()
  return math.max(0, budget - ms())
end

local function fail(msg, extra)
  extra = extra or {}
  extra.message = msg
  extra.notes = notes
  emit('error', extra)
  quit(1)
  error('berth test: ' .. msg, 0)
end

local watchdog = uv.new_timer()
watchdog:start(budget + 5000, 0, vim.schedule_wrap(function()
  emit('error', { message = 'watchdog: overall timeout', notes = notes })
  quit(1)
end))

local function run()
  -- 1. set the plugin up the way a user would
  local opts = { cmd = { bin, 'lsp' } }
  if settings then
    opts.settings = { berth = settings }
  end
  if mode == 'enable' then
    if not (vim.lsp.config and vim.lsp.enable) then
      fail('mode `enable` needs Neovim 0.11+')
    end
    vim.lsp.config('berth', opts)
    vim.lsp.enable('berth')
  elseif mode == 'setup' then
    require('berth').setup(opts)
  elseif mode == 'legacy' then
    opts.legacy = true
    require('berth').setup(opts)
  else
    fail('unknown BERTH_TEST_MODE ' .. mode)
  end

  -- 2. open the file: filetype detection (plugin/berth.lua for Compose) starts berth
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local ft = vim.bo[buf].filetype
  local v = vim.version()
  emit('info', {
    nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch),
    mode = mode,
    file = vim.api.nvim_buf_get_name(buf),
    filetype = ft,
    plugin_loaded = vim.g.loaded_berth == true,
  })
  if env.BERTH_TEST_FILETYPE and env.BERTH_TEST_FILETYPE ~= '' and ft ~= env.BERTH_TEST_FILETYPE then
    fail(('filetype is %q, expected %q'):format(ft, env.BERTH_TEST_FILETYPE))
  end

  local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
  local client
  vim.wait(remaining(), function()
    client = get_clients({ bufnr = buf, name = 'berth' })[1]
    return client ~= nil and client.initialized ~= false and client.server_capabilities ~= nil
  end, 10)
  if not client then
    fail('berth did not attach to the buffer')
  end
  emit('attached', {
    client = client.name,
    root_dir = client.config.root_dir or vim.NIL,
    offset_encoding = client.offset_encoding,
  })

  -- 3. berth's diagnostics, as Neovim stores them
  -- the first finding of `code` in the file
  local function find(list)
    local best
    for _, d in ipairs(list) do
      if d.code == code and (not best or d.lnum < best.lnum or (d.lnum == best.lnum and d.col < best.col)) then
        best = d
      end
    end
    return best
  end
  local diag
  vim.wait(remaining(), function()
    diag = find(vim.diagnostic.get(buf))
    return diag ~= nil
  end, 10)
  local function dump(kind)
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local item = { line = d.lnum, col = d.col, end_line = d.end_lnum, end_col = d.end_col, code = d.code,
        source = d.source, severity = d.severity, message = d.message }
      table.insert(out, item)
      emit(kind, item)
    end
    return out
  end
  if not diag then
    dump('diagnostic')
    fail('no ' .. code .. ' diagnostic from berth')
  end
  vim.wait(200, function() return false end, 10) -- let a second publish settle
  diag = find(vim.diagnostic.get(buf)) or diag
  dump('diagnostic')

  -- 4. the quick fix, offered at the diagnostic and applied by Neovim
  vim.api.nvim_win_set_cursor(0, { diag.lnum + 1, diag.col })
  local lsp_diag = diag.user_data and diag.user_data.lsp or nil
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = { lsp_diag }, triggerKind = 1 }
  local offered = {}
  local resp = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, remaining()) or {}
  for _, r in pairs(resp) do
    if r.error then
      fail('textDocument/codeAction failed: ' .. vim.inspect(r.error))
    end
    for _, a in ipairs(r.result or {}) do
      table.insert(offered, a)
      emit('code_action', { title = a.title, kind = a.kind or vim.NIL, preferred = a.isPreferred or false,
        has_edit = a.edit ~= nil, has_command = a.command ~= nil })
    end
  end
  local function is_quickfix_for_code(a)
    if not (a.kind == 'quickfix' or (a.kind or ''):match('^quickfix%.')) then
      return false
    end
    for _, d in ipairs(a.diagnostics or {}) do
      if d.code == code then
        return true
      end
    end
    return a.diagnostics == nil
  end
  local chosen
  for _, a in ipairs(offered) do
    if is_quickfix_for_code(a) and a.isPreferred then
      chosen = chosen or a
    end
  end
  for _, a in ipairs(offered) do
    local t = a.title:lower()
    if not chosen and is_quickfix_for_code(a) and not (t:match('ignore') or t:match('disable') or t:match('suppress')) then
      chosen = a
    end
  end
  if not chosen then
    fail('no quick fix for ' .. code .. ' among ' .. #offered .. ' code actions')
  end
  local tick = vim.api.nvim_buf_get_changedtick(buf)
  vim.lsp.buf.code_action({
    context = { diagnostics = { lsp_diag } },
    filter = function(a) return a.title == chosen.title and a.kind == chosen.kind end,
    apply = true,
  })
  if not vim.wait(remaining(), function() return vim.api.nvim_buf_get_changedtick(buf) ~= tick end, 10) then
    fail('the quick fix `' .. chosen.title .. '` did not change the buffer')
  end
  emit('applied', { title = chosen.title })

  -- 5. berth re-lints the changed buffer: the finding is gone
  local function gone()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == code and d.lnum == diag.lnum and d.col == diag.col then
        return false
      end
    end
    return true
  end
  if not vim.wait(math.min(remaining(), 5000), gone, 10) then
    dump('diagnostic_after')
    fail('the ' .. code .. ' diagnostic is still there after the fix')
  end
  dump('diagnostic_after')

  -- 6. write the file
  vim.cmd('silent write')
  emit('written', { path = vim.api.nvim_buf_get_name(buf) })

  -- 7. optionally: fix everything (the code action behind "fix all on save")
  local fixall_out = env.BERTH_TEST_FIXALL_OUT
  if fixall_out and fixall_out ~= '' then
    tick = vim.api.nvim_buf_get_changedtick(buf)
    if mode == 'enable' then
      -- what a user's keymap does
      vim.lsp.buf.code_action({
        context = { only = { 'source.fixAll.berth' }, diagnostics = {} },
        apply = true,
      })
    else
      -- the plugin's synchronous helper (for BufWritePre)
      if not require('berth').fix_all(buf) then
        fail('require("berth").fix_all() applied nothing')
      end
    end
    if not vim.wait(math.min(remaining(), 5000), function()
      return vim.api.nvim_buf_get_changedtick(buf) ~= tick
    end, 10) then
      fail('source.fixAll.berth did not change the buffer')
    end
    emit('applied', { title = 'source.fixAll.berth' })
    vim.wait(300, function() return false end, 10)
    vim.cmd('silent write! ' .. vim.fn.fnameescape(fixall_out))
    emit('written', { path = fixall_out })
  end

  -- 8. stop berth politely (shutdown + exit)
  local id = client.id
  if vim.fn.has('nvim-0.11') == 1 then
    client:stop()
  else
    client.stop()
  end
  vim.wait(3000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
  watchdog:stop()
  emit('done', {})
  quit(0)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  emit('error', { message = tostring(err), notes = notes })
  quit(1)
end
