# Peer estimates from R's survey package (Lumley) for the fixtures
# TestEstimatesMatchR generates: Rscript peer.R data.csv out.csv design,
# design "weights" (svydesign(ids = ~1, weights = ~weight)) or "strata"
# (clusters within strata, weights and a finite population correction;
# a stratum_size of 0 is sampling with replacement). For each item, the
# respondents who answered are the design (subset, so each stratum keeps
# its sampled units for the variance), and every domain of gender, income
# and both crossed, margins included, gets svymean's estimate and
# linearized SE, and svyciprop's "beta" and "logit" intervals; the Likert
# item also gets the mean score and its SE.
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(survey))
options(survey.lonely.psu = "fail")
d <- read.csv(args[1], colClasses = "character", na.strings = character(0))
if (!is.null(d$weight)) d$weight <- as.numeric(d$weight)
d$gender[d$gender == ""] <- "not_reported"
d$income[d$income == ""] <- "not_reported"
d$y_yes <- ifelse(d$q_yes == "", NA, as.numeric(d$q_yes == "yes"))
d$score <- ifelse(d$q_lik == "", NA, as.numeric(d$q_lik))
d$y_lik <- ifelse(is.na(d$score), NA, as.numeric(d$score >= 4))
if (args[3] == "binomial") {
  # Unweighted data: the exact binomial forms, not a survey design. The
  # "beta" columns hold binom.test's Clopper-Pearson interval and the
  # "logit" columns prop.test's Wilson interval (no continuity correction);
  # the SE is sqrt(p(1-p)/n) and the mean's sd/sqrt(n).
  out <- "item,gender,income,n,p,se,beta_low,beta_high,logit_low,logit_high,mean,mean_se"
  g17 <- function(x) sprintf("%.17g", x)
  for (item in c("q_yes", "q_lik")) {
    y <- if (item == "q_yes") "y_yes" else "y_lik"
    dd <- d[!is.na(d[[y]]), ]
    for (g in c("", sort(unique(dd$gender)))) {
      for (inc in c("", sort(unique(dd$income)))) {
        keep <- (g == "" | dd$gender == g) & (inc == "" | dd$income == inc)
        if (!any(keep)) next
        x <- sum(dd[[y]][keep]); n <- sum(keep); p <- x / n
        cp <- binom.test(x, n)$conf.int
        w <- suppressWarnings(prop.test(x, n, correct = FALSE)$conf.int)
        mean <- c(NA, NA)
        if (item == "q_lik") {
          sc <- dd$score[keep]
          mean <- c(mean(sc), if (n > 1) sd(sc) / sqrt(n) else 0)
        }
        out <- c(out, paste(item, g, inc, n, g17(p), g17(sqrt(p * (1 - p) / n)), g17(cp[1]), g17(cp[2]),
                            g17(w[1]), g17(w[2]), g17(mean[1]), g17(mean[2]), sep = ","))
      }
    }
  }
  writeLines(out, args[2])
  quit(save = "no")
}
if (args[3] == "weights") {
  des <- svydesign(ids = ~1, weights = ~weight, data = d)
} else {
  d$fpc <- as.numeric(d$stratum_size)
  d$fpc[d$fpc == 0] <- Inf
  des <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, fpc = ~fpc, nest = TRUE, data = d)
}
g17 <- function(x) sprintf("%.17g", x)
out <- "item,gender,income,n,p,se,beta_low,beta_high,logit_low,logit_high,mean,mean_se"
for (item in c("q_yes", "q_lik")) {
  y <- if (item == "q_yes") "y_yes" else "y_lik"
  f <- as.formula(paste0("~", y))
  dd <- des[!is.na(des$variables[[y]]), ]
  for (g in c("", sort(unique(dd$variables$gender)))) {
    for (inc in c("", sort(unique(dd$variables$income)))) {
      keep <- (g == "" | dd$variables$gender == g) & (inc == "" | dd$variables$income == inc)
      if (!any(keep)) next
      dom <- dd[keep, ]
      m <- svymean(f, dom)
      b <- attr(svyciprop(f, dom, method = "beta"), "ci")
      l <- attr(svyciprop(f, dom, method = "logit"), "ci")
      mean <- c(NA, NA)
      if (item == "q_lik") {
        s <- svymean(~score, dom)
        mean <- c(coef(s), SE(s))
      }
      out <- c(out, paste(item, g, inc, sum(keep), g17(coef(m)), g17(SE(m)), g17(b[1]), g17(b[2]),
                          g17(l[1]), g17(l[2]), g17(mean[1]), g17(mean[2]), sep = ","))
    }
  }
}
writeLines(out, args[2])
