-- berth for Neovim: the `berth lsp` language server for Dockerfiles and
-- Compose files.
--
-- Neovim 0.11+:   vim.lsp.enable('berth')          (uses lsp/berth.lua)
--                 vim.lsp.config('berth', { settings = { berth = { ... } } })
-- Neovim 0.7-0.10: require('berth').setup({ settings = { berth = { ... } } })
--
-- `setup()` works on 0.11+ too (it then calls vim.lsp.config and
-- vim.lsp.enable). See editors/nvim/README.md.

local M = {}

--- Filetypes berth serves: Neovim's own `dockerfile`, and
--- `yaml.docker-compose`, the filetype nvim-lspconfig's Compose servers use
--- (plugin/berth.lua gives it to compose*.y*ml and docker-compose*.y*ml).
M.filetypes = { 'dockerfile', 'yaml.docker-compose' }

--- Files that mark a project's root (the nearest one up from the file).
M.root_markers = {
  'berth.toml',
  '.berth.toml',
  '.hadolint.yaml',
  '.hadolint.yml',
  '.git',
}

--- The languageId sent in textDocument/didOpen: `dockerfile` for Dockerfiles,
--- `dockercompose` (VS Code's id) for Compose files.
function M.language_id(_, filetype)
  if filetype == 'dockerfile' then
    return 'dockerfile'
  end
  return 'dockercompose'
end

--- initializationOptions are the `berth` section of `settings`, unless the
--- configuration sets `init_options` itself.
local function before_init(params, config)
  if params.initializationOptions == nil or vim.tbl_isempty(params.initializationOptions) then
    local settings = config.settings or {}
    params.initializationOptions = settings.berth or vim.empty_dict()
  end
end

--- The default client configuration, a fresh table on every call (in the
--- shape of `vim.lsp.Config` / `vim.lsp.ClientConfig`).
function M.config()
  return {
    cmd = { 'berth', 'lsp' },
    filetypes = vim.deepcopy(M.filetypes),
    root_markers = vim.deepcopy(M.root_markers),
    get_language_id = M.language_id,
    before_init = before_init,
    -- The `berth` section: rules = { select = {...}, ignore = {...} },
    -- severity = { DL3008 = 'warning' }, shellcheck = { enabled, path },
    -- ai = { enabled, baseUrl, model, apiKeyEnv }.
    settings = { berth = vim.empty_dict() },
  }
end

local has = function(feature)
  return vim.fn.has(feature) == 1
end

--- The first parent folder of `path` (or its own folder) that holds one of
--- `markers`, else the file's folder.
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  if vim.fs and vim.fs.find then
    local found = vim.fs.find(markers, { path = dir, upward = true, limit = 1 })[1]
    if found then
      return vim.fn.fnamemodify(found, ':h')
    end
    return dir
  end
  -- Neovim 0.7: no vim.fs
  local cur = dir
  while true do
    for _, m in ipairs(markers) do
      if vim.loop.fs_stat(cur .. '/' .. m) then
        return cur
      end
    end
    local parent = vim.fn.fnamemodify(cur, ':h')
    if parent == cur then
      return dir
    end
    cur = parent
  end
end

-- Clients started by the FileType path, by root folder (Neovim 0.7, where
-- there is no vim.lsp.start to reuse them).
local started = {}

--- Start (or reuse) berth for buffer `bufnr` with the merged configuration `cfg`.
local function start(bufnr, cfg)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local root = cfg.root_dir
  if type(root) == 'function' then
    root = root(name, bufnr)
  end
  root = root or find_root(name, cfg.root_markers or M.root_markers)
  local client_cfg = {
    name = 'berth',
    cmd = cfg.cmd,
    cmd_env = cfg.cmd_env,
    root_dir = root,
    workspace_folders = {
      { uri = vim.uri_from_fname(root), name = root },
    },
    settings = cfg.settings,
    init_options = cfg.init_options,
    capabilities = cfg.capabilities,
    handlers = cfg.handlers,
    on_attach = cfg.on_attach,
    on_init = cfg.on_init,
    on_exit = cfg.on_exit,
    flags = cfg.flags,
    get_language_id = cfg.get_language_id or M.language_id,
    before_init = cfg.before_init or before_init,
  }
  if vim.lsp.start then
    -- 0.8+: reuses a running client with the same name and root.
    return vim.lsp.start(client_cfg, { bufnr = bufnr })
  end
  -- 0.7
  local id = started[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(client_cfg)
    started[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

M._start = start

--- Apply every safe fix berth offers for buffer `bufnr` (default: the
--- current one) now, synchronously: the `source.fixAll.berth` code action.
--- Suits a BufWritePre autocommand. Returns true when berth returned an edit.
function M.fix_all(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local client = get({ bufnr = bufnr, name = 'berth' })[1]
  if not client then
    return false
  end
  local last = math.max(vim.api.nvim_buf_line_count(bufnr) - 1, 0)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } },
    context = { only = { 'source.fixAll.berth' }, diagnostics = {} },
  }
  local new_api = vim.fn.has('nvim-0.11') == 1
  local function request(method, p)
    if new_api then
      return client:request_sync(method, p, timeout_ms or 2000, bufnr)
    end
    return client.request_sync(method, p, timeout_ms or 2000, bufnr)
  end
  local res = request('textDocument/codeAction', params)
  local applied = false
  for _, action in ipairs(res and res.result or {}) do
    if action.kind == 'source.fixAll.berth' or action.kind == 'source.fixAll' then
      if not action.edit and action.data ~= nil then
        local r = request('codeAction/resolve', action)
        action = r and r.result or action
      end
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
        applied = true
      end
    end
  end
  return applied
end

--- Set berth up.
---
--- opts (all optional): everything a client configuration takes (`cmd`,
--- `settings`, `init_options`, `capabilities`, `on_attach`, `handlers`,
--- `root_markers` or `root_dir`, `filetypes`, `cmd_env`), plus
---   legacy = true   use the FileType autocommand even on Neovim 0.11+
---                   (what 0.7-0.10 always do).
function M.setup(opts)
  opts = opts or {}
  local legacy = opts.legacy
  local user = vim.deepcopy(opts)
  user.legacy = nil

  if not legacy and vim.lsp.config and vim.lsp.enable and has('nvim-0.11') then
    vim.lsp.config('berth', user)
    vim.lsp.enable('berth')
    return
  end

  local cfg = vim.tbl_deep_extend('force', M.config(), user)
  if opts.filetypes then
    cfg.filetypes = opts.filetypes
  end
  if opts.root_markers then
    cfg.root_markers = opts.root_markers
  end
  local group = vim.api.nvim_create_augroup('berth_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = cfg.filetypes,
    callback = function(args)
      start(args.buf, cfg)
    end,
    desc = 'berth: start the language server',
  })
  -- Buffers already open when setup() runs.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(cfg.filetypes, vim.bo[buf].filetype) then
      start(buf, cfg)
    end
  end
end

return M
