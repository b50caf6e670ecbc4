# One colour, shape and line type per policy, the same in every figure. No
# policy is named here: a policy's style is taken by its position in the
# policy order (policies/registry.c, else the order of the data), so a new
# policy gets the next free style with no edit here.
#
# Colours are the Okabe-Ito palette (colour-blind safe), in an order that
# gives the registry's first five (copy, cow, hot, faultaround, adaptive)
# the colours they always had; the yellow, weak on white, comes last. Past
# eight policies the colours repeat, but with a shape and a line type of
# their own, so that every policy still tells apart (in grey print too).
# Past the first two (copy and cow, the baselines) the shapes are open or
# made of lines, so that a policy whose points coincide with another's
# (hot's with cow's in a single fork) lets the other show through.

policy_colour_set <- c(
  "#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
  "#000000", "#F0E442"
)

policy_shape_set <- c(15, 16, 2, 5, 8, 4, 3, 6, 0, 1, 17, 18)

policy_linetype_set <- c(
  "solid", "22", "42", "13", "1343", "73", "2262", "12223242", "F282",
  "4111", "3313", "44"
)

# The style of each policy, by position: a tibble policy, colour, shape,
# linetype in the order of policies.
policy_style <- function(policies) {
  position <- seq_along(policies)
  pick <- function(set) set[(position - 1) %% length(set) + 1]
  tibble::tibble(
    policy = policies,
    colour = pick(policy_colour_set),
    shape = pick(policy_shape_set),
    linetype = pick(policy_linetype_set)
  )
}

policy_values <- function(policies, what) {
  style <- policy_style(policies)
  stats::setNames(style[[what]], style$policy)
}

# The scales of the policy aesthetics for a plot whose policy column is
# the factor policy (its levels are the whole policy order). Values are
# keyed by name and no limits are set, so a policy absent from the plot is
# neither drawn nor listed in the legend, and the others keep their style.
# The aesthetics share one name, so ggplot draws one legend for them all.
scale_policy <- function(policy,
                         aesthetics = c("colour", "shape", "linetype"),
                         ...) {
  policies <- levels(policy)
  scales <- list(
    colour = scale_colour_manual(
      values = policy_values(policies, "colour"), name = "policy", ...
    ),
    fill = scale_fill_manual(
      values = policy_values(policies, "colour"), name = "policy", ...
    ),
    shape = scale_shape_manual(
      values = policy_values(policies, "shape"), name = "policy", ...
    ),
    linetype = scale_linetype_manual(
      values = policy_values(policies, "linetype"), name = "policy", ...
    )
  )
  unname(scales[aesthetics])
}

# One legend for the policy aesthetics, at most per_row policies a row.
policy_guides <- function(policy, per_row = 5,
                          aesthetics = c("colour", "shape", "linetype")) {
  shown <- n_distinct(policy)
  legend <- guide_legend(nrow = ceiling(shown / per_row), byrow = TRUE,
    order = 1)
  do.call(guides, stats::setNames(rep(list(legend), length(aesthetics)),
    aesthetics))
}
