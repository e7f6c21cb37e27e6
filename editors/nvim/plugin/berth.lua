-- berth: filetype detection for Compose files and the :BerthRestart command.
-- Starting the server is left to the user: vim.lsp.enable('berth') on Neovim
-- 0.11+, require('berth').setup() on any version.
if vim.g.loaded_berth then
  return
end
vim.g.loaded_berth = true

-- Compose files get the `yaml.docker-compose` filetype (the one
-- nvim-lspconfig's Compose servers use; YAML syntax and ftplugins still
-- apply). Names as berth's own discovery: compose*.y*ml and
-- docker-compose*.y*ml, any case. `vim.g.berth_compose_filetype = false`
-- before the plugin loads turns this off.
local function compose_filetype(path)
  local name = vim.fn.fnamemodify(path, ':t'):lower()
  if name:match('^compose.*%.ya?ml$') or name:match('^docker%-compose.*%.ya?ml$') then
    return 'yaml.docker-compose'
  end
end

if vim.g.berth_compose_filetype ~= false and vim.g.berth_compose_filetype ~= 0 then
  if vim.filetype and vim.filetype.add and vim.fn.has('nvim-0.8') == 1 then
    vim.filetype.add({
      pattern = {
        ['.*%.[Yy][Aa]?[Mm][Ll]'] = { compose_filetype, { priority = 10 } },
      },
    })
  else
    -- Neovim 0.7: filetype.vim is in charge; set the filetype after it.
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      pattern = { '*.yml', '*.yaml', '*.YML', '*.YAML' },
      callback = function(args)
        local ft = compose_filetype(args.file)
        if ft then
          vim.bo[args.buf].filetype = ft
        end
      end,
      desc = 'berth: Compose filetype',
    })
  end
end

-- Dockerfile-* (berth lints them; Neovim knows Dockerfile.* but not these).
if vim.filetype and vim.filetype.add and vim.fn.has('nvim-0.8') == 1 then
  vim.filetype.add({ pattern = { ['Dockerfile%-.*'] = 'dockerfile' } })
end

vim.api.nvim_create_user_command('BerthRestart', function()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local clients = get({ name = 'berth' })
  local bufs = {}
  for _, c in ipairs(clients) do
    for b in pairs(c.attached_buffers or {}) do
      bufs[b] = true
    end
    if vim.fn.has('nvim-0.11') == 1 then
      c:stop()
    else
      c.stop()
    end
  end
  vim.defer_fn(function()
    for b in pairs(bufs) do
      if vim.api.nvim_buf_is_valid(b) then
        -- Re-run the autocommands that start berth (vim.lsp.enable's or setup()'s).
        for _, group in ipairs({ 'nvim.lsp.enable', 'berth_lsp' }) do
          pcall(vim.api.nvim_exec_autocmds, 'FileType', { group = group, buffer = b })
        end
      end
    end
  end, 500)
end, { desc = 'Restart the berth language server' })
