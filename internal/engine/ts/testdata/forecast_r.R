#!/usr/bin/env Rscript
# Writes forecast_r.csv.gz: R forecast's (8.20) thetaf and ets on every M3 yearly
# series without its last 6 values, for the tests that compare package ts with
# the reference implementation. Run from this directory:
#   Rscript forecast_r.R
suppressMessages(library(forecast))
d <- read.csv(gzfile("M3_yearly_TSTS.csv.gz"), stringsAsFactors = FALSE)
series <- split(d$value, factor(d$series_id, levels = unique(d$series_id)))
h <- 6
rows <- lapply(names(series), function(id) {
  x <- series[[id]]
  tr <- ts(x[1:(length(x) - h)])
  th <- thetaf(tr, h = h)
  fit <- ets(tr)
  fc <- forecast(fit, h = h)
  p <- fit$par
  g <- function(k) if (k %in% names(p)) p[[k]] else NA
  data.frame(
    id = id,
    theta = t(as.numeric(th$mean)),
    theta_lo80 = t(as.numeric(th$lower[, 1])), theta_hi80 = t(as.numeric(th$upper[, 1])),
    theta_lo95 = t(as.numeric(th$lower[, 2])), theta_hi95 = t(as.numeric(th$upper[, 2])),
    ets_model = fit$method,
    alpha = g("alpha"), beta = g("beta"), phi = g("phi"), l = g("l"), b = g("b"),
    sigma2 = fit$sigma2, aicc = fit$aicc,
    ets = t(as.numeric(fc$mean)),
    ets_lo80 = t(as.numeric(fc$lower[, 1])), ets_hi80 = t(as.numeric(fc$upper[, 1])),
    ets_lo95 = t(as.numeric(fc$lower[, 2])), ets_hi95 = t(as.numeric(fc$upper[, 2]))
  )
})
out <- do.call(rbind, rows)
num <- sapply(out, is.numeric)
out[num] <- lapply(out[num], signif, digits = 10)
write.csv(out, gzfile("forecast_r.csv.gz"), row.names = FALSE)
