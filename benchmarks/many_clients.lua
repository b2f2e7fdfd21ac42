-- wrk: each request from another client address (X-Forwarded-For, read because the benchmark's server trusts
-- 127.0.0.1 as its proxy), as employers verifying certificates from many places: the rate limiter still counts
-- every request (its one Redis round trip is measured) without refusing the load of one address.
local n = 0
local offset = math.random(0, 255)
request = function()
  n = n + 1
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", offset, math.floor(n / 256) % 256, n % 256)
  return wrk.format(nil)
end
