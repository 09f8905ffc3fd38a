-- Argo CD health check of a NamiNamespace (argocd-cm key
-- resource.customizations.health.namidb.io_NamiNamespace). Tested by ArgoCdHealthIT with
-- gopher-lua, the Lua Argo CD runs these in.
local hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to report a status"
  return hs
end
local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to reconcile generation " .. tostring(generation)
  return hs
end
local ready = nil
local writer = nil
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      ready = c
    elseif c.type == "WriterAvailable" then
      writer = c
    end
  end
end
local phase = obj.status.phase
local message = phase
if ready ~= nil and ready.message ~= nil and ready.message ~= "" then
  message = phase .. ": " .. ready.message
end
hs.message = message
if phase == "Ready" then
  hs.status = "Healthy"
elseif phase == "Suspended" then
  hs.status = "Suspended"
elseif phase == "Degraded" or phase == "Failed" then
  hs.status = "Degraded"
else
  -- Pending, Restoring, Deleting: on the way, unless the writer is stuck where waiting will not help
  hs.status = "Progressing"
  if writer ~= nil and writer.status == "False" then
    local stuck = {
      CrashLoopBackOff = true, ImagePullBackOff = true, ErrImagePull = true,
      CreateContainerConfigError = true, Unschedulable = true, Conflict = true,
    }
    if stuck[writer.reason] then
      hs.status = "Degraded"
    end
  end
end
return hs
