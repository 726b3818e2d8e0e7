-- Neovim's built-in LSP client (Debian's neovim 0.7) against sync-lint --lsp:
-- open a file, wait for diagnostics, check codes and ranges, edit the buffer
-- and see them update, run a code action through the client's own
-- workspace-edit code.  Results go to $SL_RESULT, one "ok"/"FAIL" line each;
-- Neovim exits 0 when every check passed.
local result = assert(os.getenv('SL_RESULT'))
local file = assert(os.getenv('SL_FILE'))
local out = assert(io.open(result, 'w'))
local failed = false
local function check(cond, what)
  out:write((cond and 'ok   ' or 'FAIL ') .. what .. '\n')
  out:flush()
  if not cond then failed = true end
end
local function finish()
  out:close()
  vim.cmd(failed and 'cquit 1' or 'qall!')
end

vim.cmd('edit ' .. file)
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'c'
local client_id = vim.lsp.start_client({
  name = 'sync-lint',
  cmd = { os.getenv('SYNC_LINT'), '--lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
  init_options = { debounceMs = 50 },
})
check(client_id ~= nil, 'the client started sync-lint --lsp')
vim.lsp.buf_attach_client(bufnr, client_id)

local function sl_diags()
  local ns = vim.lsp.diagnostic.get_namespace(client_id)
  return vim.diagnostic.get(bufnr, { namespace = ns })
end
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local got = vim.wait(60000, function() return #sl_diags() > 0 end, 100)
check(got, 'diagnostics arrived')
local ds = sl_diags()
table.sort(ds, function(a, b) return a.lnum < b.lnum end)
check(#ds == 2, 'two findings (' .. #ds .. ')')
check(ds[1] and code_of(ds[1]) == 'cond-wait-not-in-loop', 'code is the rule id')
check(ds[1] and ds[1].source == 'sync-lint', 'source sync-lint')
-- line 21 of the file (0-based 20), the call at column 8
check(ds[1] and ds[1].lnum == 20 and ds[1].col == 8, 'range of the first finding: ' ..
      (ds[1] and (ds[1].lnum .. ':' .. ds[1].col) or '?'))
check(ds[1] and ds[1].severity == vim.diagnostic.severity.WARN, 'severity warning')

-- a code action, applied by the client: the suppression of the first finding
local client = vim.lsp.get_client_by_id(client_id)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = { start = { line = ds[1].lnum, character = ds[1].col },
            ['end'] = { line = ds[1].lnum, character = ds[1].col } },
  context = { diagnostics = {} },
}
local resp = client.request_sync('textDocument/codeAction', params, 10000, bufnr)
local actions = resp and resp.result or {}
local sup
for _, a in ipairs(actions) do
  if a.title:match('^Suppress') then sup = a end
end
check(sup ~= nil, 'a suppress action is offered (' .. #actions .. ' actions)')
if sup then
  vim.lsp.util.apply_workspace_edit(sup.edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, 20, 21, false)[1]
  check(line and line:match('^        // sync%-lint: ignore%[cond%-wait%-not%-in%-loop%]'),
        'the edit inserted the comment with the indentation: ' .. tostring(line))
  got = vim.wait(30000, function() return #sl_diags() == 1 end, 100)
  check(got, 'after the edit one finding is left (' .. #sl_diags() .. ')')
end

-- an edit typed into the buffer: 'if' -> 'while' on the other finding
local left = sl_diags()[1]
if left then
  -- the 'if' above the wait
  local row, text, col = left.lnum - 1, nil, nil
  while row >= left.lnum - 3 and not col do
    text = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1]
    col = text:find('if %(')
    if not col then row = row - 1 end
  end
  check(col ~= nil, 'found the if to edit: ' .. tostring(text))
  if col then
    vim.api.nvim_buf_set_text(bufnr, row, col - 1, row, col + 1, { 'while' })
    got = vim.wait(30000, function() return #sl_diags() == 0 end, 100)
    check(got, 'typing while for if clears the last finding (' .. #sl_diags() .. ')')
  end
end
vim.lsp.stop_client(client_id)
finish()
