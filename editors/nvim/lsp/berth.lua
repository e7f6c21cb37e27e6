-- Neovim 0.11+ runtime configuration for berth: found on 'runtimepath' by
-- vim.lsp.config / vim.lsp.enable('berth'). Override any field with
-- vim.lsp.config('berth', { ... }), e.g.
--   vim.lsp.config('berth', { settings = { berth = { rules = { ignore = { 'DL3008' } } } } })
return require('berth').config()
