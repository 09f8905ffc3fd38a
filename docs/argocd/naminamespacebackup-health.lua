-- Argo CD health check of a NamiNamespaceBackup (argocd-cm key
-- resource.customizations.health.namidb.io_NamiNamespaceBackup). Tested by ArgoCdHealthIT.
local hs = {}
local phase = nil
if obj.status ~= nil then
  phase = obj.status.phase
end
if phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Failed" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
if phase == nil then
  hs.message = "waiting for the operator"
elseif obj.status.message ~= nil then
  hs.message = phase .. ": " .. obj.status.message
else
  hs.message = phase
end
return hs
