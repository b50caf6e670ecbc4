# Variants of a policy (issue 16): runs whose boot arguments (the args
# column) set the policy's own parameters. No parameter is named here:
#
# - a policy's parameters are the keys its source declares
#   (policies/NAME.c, read by repo.R), and any key starting with its name
#   and "_" (adaptive_window), so that a switch added for an ablation
#   counts before the source is read; the mechanism's options
#   (kernel/options.c: ptshare, ptlock, kalloc, heapoff) are not;
# - a sweep is a parameter of the policy set alone (args "key=value", a
#   number) to at least two values: fig_sensitivity, one panel each, the
#   default (the policy's run without arguments) marked;
# - every other args of the policy's runs that sets one of its parameters
#   is an ablation variant, labelled by its args: fig_ablation.
#
# Both compare one-hart whole runs with the policy's default run, with
# cow's and with the best fixed policy's (bestfixed.R) in the same
# configuration (the config column: the case without arguments), by
# geometric means over the configurations that every value of a sweep,
# or every variant of a policy, ran.

# The words of boot arguments as a named character vector:
# "ptlock=split kalloc=percpu" -> c(ptlock = "split", kalloc = "percpu").
args_words <- function(args) {
  words <- strsplit(trimws(args), " +")[[1]]
  words <- words[nzchar(words)]
  stats::setNames(sub("^[^=]*=", "", words), sub("=.*$", "", words))
}

# The value of key in each args (NA where it is not set).
arg_value <- function(args, key) {
  vapply(args, function(one) {
    words <- args_words(one)
    if (key %in% names(words)) words[[key]] else NA_character_
  }, character(1), USE.NAMES = FALSE)
}

# Whether key is a parameter of policy: declared in its source (boot, the
# context's parameter table) or named after it.
is_policy_parameter <- function(key, policy, boot = NULL) {
  declared <- if (is.null(boot)) character(0) else
    boot$key[boot$owner == policy]
  key %in% declared | startsWith(key, paste0(policy, "_"))
}

# The default of a policy's parameter from its source; NA if unknown.
parameter_default <- function(key, policy, boot = NULL) {
  if (is.null(boot)) {
    return(NA_real_)
  }
  value <- boot$default[boot$owner == policy & boot$key == key]
  if (length(value) == 0) NA_real_ else suppressWarnings(as.numeric(value[1]))
}

# The variant runs of every policy (one hart, whole runs, args that set
# a parameter of the row's policy), classified: kind "sweep" (key, value)
# or "ablation" (label = args).
policy_variants <- function(results, boot = NULL) {
  rows <- results %>%
    filter(scope == "run", !base, !is.na(instr))
  if (nrow(rows) == 0) {
    return(mutate(rows, kind = character(0), key = character(0),
      value = numeric(0)))
  }
  distinct_args <- rows %>%
    distinct(policy, args) %>%
    mutate(policy = as.character(policy))
  parsed <- lapply(seq_len(nrow(distinct_args)), function(i) {
    words <- args_words(distinct_args$args[i])
    own <- is_policy_parameter(names(words), distinct_args$policy[i], boot)
    single <- length(words) == 1
    tibble(
      policy = distinct_args$policy[i],
      args = distinct_args$args[i],
      own = any(own),
      key = if (single && own) names(words) else NA_character_,
      value = if (single && own) suppressWarnings(as.numeric(words[[1]]))
        else NA_real_
    )
  })
  kinds <- bind_rows(parsed) %>%
    filter(own) %>%
    group_by(policy, key) %>%
    mutate(swept = !is.na(key) & sum(!is.na(value)) >= 2) %>%
    ungroup() %>%
    mutate(
      kind = ifelse(swept & !is.na(value), "sweep", "ablation"),
      key = ifelse(kind == "sweep", key, NA_character_),
      value = ifelse(kind == "sweep", value, NA_real_)
    ) %>%
    select(policy, args, kind, key, value)
  rows %>%
    mutate(policy_name = as.character(policy)) %>%
    inner_join(kinds, by = c(policy_name = "policy", "args")) %>%
    select(-policy_name)
}

# Median of a measure per configuration for rows (one policy, one
# setting): instructions, and the modelled cost at the default
# coefficients where the CSV has its counters.
setting_measures <- function(rows) {
  rows <- mutate(rows, case = as.character(config))
  policy_measures(rows) %>%
    rename(config = case)
}

# The references of every configuration: cow's measures and the best
# fixed policy's (from the runs without arguments): config, measure, cow,
# best.
variant_references <- function(runs) {
  values <- policy_measures(runs)
  best <- versus_best(values) %>%
    distinct(measure, case, best)
  cow <- values %>%
    filter(policy == reference_policy) %>%
    select(measure, case, cow = value)
  configs <- runs %>%
    distinct(case, config) %>%
    mutate(config = as.character(config))
  inner_join(cow, best, by = c("measure", "case")) %>%
    left_join(configs, by = "case") %>%
    select(config, measure, cow, best)
}

# Geometric means of a setting against the references, over configs:
# a tibble measure, against (cow / best fixed), ratio.
setting_ratios <- function(values, references, configs) {
  values %>%
    filter(config %in% configs) %>%
    inner_join(references, by = c("config", "measure")) %>%
    group_by(measure) %>%
    summarise(
      `cow` = exp(mean(log(value / cow))),
      `best fixed policy` = exp(mean(log(value / best))),
      configs = n(),
      .groups = "drop"
    ) %>%
    pivot_longer(c(`cow`, `best fixed policy`), names_to = "against",
      values_to = "ratio")
}

# The configurations every setting of a list ran (and the references
# have).
common_configs <- function(settings, references) {
  sets <- lapply(settings, function(rows) unique(as.character(rows$config)))
  Reduce(intersect, sets, unique(as.character(references$config)))
}

# The workloads of configurations, in the data's order, as one
# comma-separated text ("lazyfork, seqwrite").
config_workloads <- function(runs, configs) {
  found <- runs %>%
    filter(as.character(config) %in% configs) %>%
    distinct(workload)
  found <- sort(factor(found$workload, levels = levels(runs$workload)))
  paste(as.character(found), collapse = ", ")
}

# What is missing for the configurations some settings ran but not all
# (or the references lack): one line each, for the attribute "missing" of
# a figure's rows (build_figure()).
lost_configs <- function(settings, configs, what) {
  ran <- unique(unlist(lapply(settings, function(rows) {
    as.character(rows$config)
  })))
  lost <- setdiff(ran, configs)
  if (length(lost) == 0) {
    return(character(0))
  }
  paste0(what, " and the references (cow and every fixed policy without ",
    "arguments) in '", lost, "'")
}

# fig_sensitivity's rows: per policy, swept key and value (the default
# added from the policy's runs without arguments if it is not among the
# values), measure and reference, the geometric mean ratio; default marks
# the default value.
sensitivity_rows <- function(d) {
  variants <- policy_variants(d$results, d$context$boot)
  sweeps <- filter(variants, kind == "sweep")
  if (nrow(sweeps) == 0) {
    return(tibble())
  }
  references <- variant_references(d$runs)
  out <- list()
  missing <- character(0)
  for (one in split(sweeps, list(sweeps$policy, sweeps$key), drop = TRUE)) {
    policy <- as.character(one$policy[1])
    key <- one$key[1]
    default <- parameter_default(key, policy, d$context$boot)
    settings <- split(one, one$value)
    plain <- d$runs %>%
      filter(policy == !!policy, !is.na(instr))
    configs <- common_configs(settings, references)
    swept <- settings
    # the default, from the runs without arguments, unless it was swept
    if (!is.na(default) && !default %in% as.numeric(names(settings)) &&
      nrow(plain) > 0) {
      configs <- intersect(configs, as.character(plain$config))
      settings[[format_parameter(default)]] <- plain
    }
    missing <- c(missing, lost_configs(swept, configs, paste0(policy,
      " runs with every value of ", key)))
    points <- lapply(names(settings), function(v) {
      setting_ratios(setting_measures(settings[[v]]), references, configs) %>%
        mutate(value = as.numeric(v))
    })
    workloads <- config_workloads(d$runs, configs)
    out[[length(out) + 1]] <- bind_rows(points) %>%
      mutate(policy = policy, key = key, is_default = value %in% default,
        workloads = workloads)
  }
  rows <- bind_rows(out)
  if (nrow(rows) == 0) {
    return(with_missing(rows, missing))
  }
  rows %>%
    mutate(
      policy = factor(policy, levels = levels(d$results$policy)),
      measure = factor(measure_labels[measure], levels = measure_labels),
      parameter = paste0(key, if (n_distinct(policy) > 1)
        paste0(" (", policy, ")") else "")
    ) %>%
    with_missing(missing)
}

# fig_ablation's rows: per policy, its default and each ablation variant
# (label), measure and reference (cow, best fixed policy, the policy's
# default), the geometric mean ratio over the configurations every
# variant of the policy and its default ran.
ablation_rows <- function(d) {
  variants <- policy_variants(d$results, d$context$boot)
  ablations <- filter(variants, kind == "ablation")
  if (nrow(ablations) == 0) {
    return(tibble())
  }
  references <- variant_references(d$runs)
  out <- list()
  missing <- character(0)
  for (one in split(ablations, droplevels(ablations$policy))) {
    name <- as.character(one$policy[1])
    plain <- d$runs %>%
      filter(policy == name, !is.na(instr))
    settings <- split(one, one$args)
    configs <- common_configs(c(settings, list(plain)), references)
    missing <- c(missing, lost_configs(settings, configs, paste0(name,
      " runs of every variant and without arguments")))
    default <- setting_measures(plain) %>%
      filter(config %in% configs) %>%
      select(config, measure, default = value)
    own <- lapply(names(settings), function(a) {
      values <- setting_measures(settings[[a]])
      against_default <- values %>%
        filter(config %in% configs) %>%
        inner_join(default, by = c("config", "measure")) %>%
        group_by(measure) %>%
        summarise(ratio = exp(mean(log(value / default))),
          configs = n(), .groups = "drop") %>%
        mutate(against = paste(name, "default"))
      bind_rows(setting_ratios(values, references, configs),
        against_default) %>%
        mutate(variant = a)
    })
    base <- setting_ratios(setting_measures(plain), references, configs) %>%
      mutate(variant = paste(name, "default"))
    workloads <- config_workloads(d$runs, configs)
    out[[length(out) + 1]] <- bind_rows(c(list(base), own)) %>%
      mutate(policy = name, workloads = workloads)
  }
  rows <- bind_rows(out)
  if (nrow(rows) == 0) {
    return(with_missing(rows, missing))
  }
  rows %>%
    mutate(
      policy = factor(policy, levels = levels(d$results$policy)),
      measure = factor(measure_labels[measure], levels = measure_labels)
    ) %>%
    with_missing(missing)
}

# Macro part for a parameter or a variant of policy: its key(s) without
# the policy's prefix, in letters ("adaptive_window" -> "Window",
# "adaptive_hot=0" -> "HotZero").
variant_macro_part <- function(text, policy) {
  camel_letters(gsub(paste0("(^| )", policy, "_"), "\\1", text))
}

# Numbers of the sweeps: per policy and parameter, the lowest and highest
# geometric mean instruction ratio to cow over its values (default
# included), the value with the lowest, the ratio at the default, and to
# the best fixed policy at the default; how many configurations.
# Sensitivity<Policy><Param>{Low,High,BestValue,Default,DefaultVsBest,
# Configs}.
sensitivity_numbers <- function(d) {
  rows <- sensitivity_rows(d)
  if (nrow(rows) == 0) {
    return(tibble(name = character(0), value = character(0)))
  }
  instr <- rows %>%
    filter(measure == measure_labels[["instr"]])
  out <- lapply(split(instr, list(instr$policy, instr$key), drop = TRUE),
    function(one) {
      policy <- as.character(one$policy[1])
      stem <- paste0("Sensitivity", camel_letters(policy),
        variant_macro_part(one$key[1], policy))
      cow <- filter(one, against == "cow")
      best <- filter(one, against == "best fixed policy")
      at_default <- function(rows) {
        x <- rows$ratio[rows$is_default]
        if (length(x) == 0) NA_real_ else x[1]
      }
      bind_rows(
        numbers_row(paste0(stem, "Low"), number_ratio(min(cow$ratio))),
        numbers_row(paste0(stem, "High"), number_ratio(max(cow$ratio))),
        numbers_row(paste0(stem, "BestValue"),
          format_parameter(cow$value[which.min(cow$ratio)])),
        numbers_row(paste0(stem, "Default"), number_ratio(at_default(cow))),
        numbers_row(paste0(stem, "DefaultVsBest"),
          number_ratio(at_default(best))),
        numbers_row(paste0(stem, "Configs"), number_count(max(cow$configs)))
      )
    })
  policies <- levels(droplevels(instr$policy))
  bind_rows(c(out, lapply(split(instr, droplevels(instr$policy)),
    sensitivity_summary), list(numbers_row("SensitivityPolicies",
      paste(policies, collapse = ", ")))))
}

# Numbers of all the sweeps of one policy that name no parameter, so that
# the text survives a renamed parameter: how many were swept, the widest
# spread (highest over lowest ratio to cow among a parameter's values)
# and its parameter, and how far the default is, at most, from the best
# value of a parameter (ratio to cow at the default over the lowest),
# the most configurations a sweep was averaged over and their workloads
# (of the sweep with the most):
# Sensitivity<Policy>{Params,Widest,WidestParam,DefaultOffBest,Configs,
# Workloads}.
sensitivity_summary <- function(rows) {
  policy <- as.character(rows$policy[1])
  per_key <- rows %>%
    filter(against == "cow") %>%
    group_by(key) %>%
    summarise(
      spread = max(ratio) / min(ratio),
      off = if (any(is_default)) ratio[is_default][1] / min(ratio) else NA,
      .groups = "drop"
    )
  widest <- per_key[which.max(per_key$spread), ]
  off <- per_key$off[!is.na(per_key$off)]
  stem <- paste0("Sensitivity", camel_letters(policy))
  most <- rows[which.max(rows$configs), ]
  bind_rows(
    numbers_row(paste0(stem, "Params"), number_count(nrow(per_key))),
    numbers_row(paste0(stem, "Widest"), number_ratio(widest$spread)),
    numbers_row(paste0(stem, "WidestParam"), latex_escape(widest$key)),
    numbers_row(paste0(stem, "DefaultOffBest"),
      number_ratio(if (length(off) == 0) NA_real_ else max(off))),
    numbers_row(paste0(stem, "Configs"), number_count(most$configs)),
    numbers_row(paste0(stem, "Workloads"), latex_escape(most$workloads))
  )
}

# Numbers of the ablations: per policy and variant, the geometric mean
# instruction ratio to the policy's default, to cow and to the best
# fixed policy: Ablation<Policy><Variant>{VsDefault,VsCow,VsBest}.
ablation_numbers <- function(d) {
  all_rows <- ablation_rows(d)
  if (nrow(all_rows) == 0) {
    return(tibble(name = character(0), value = character(0)))
  }
  all_rows <- all_rows %>%
    mutate(policy = as.character(policy))
  defaults <- filter(all_rows, variant == paste(policy, "default"))
  all_rows <- filter(all_rows, variant != paste(policy, "default"))
  rows <- all_rows %>%
    filter(measure == measure_labels[["instr"]])
  which <- ifelse(rows$against == "cow", "VsCow",
    ifelse(rows$against == "best fixed policy", "VsBest", "VsDefault"))
  bind_rows(
    numbers_row(
      paste0("Ablation", camel_letters(rows$policy),
        mapply(variant_macro_part, rows$variant, rows$policy), which),
      number_ratio(rows$ratio)
    ),
    ablation_summary(filter(rows, which == "VsDefault")),
    ablation_lists(all_rows),
    ablation_defaults(defaults)
  )
}

# The policy's default over the same configurations as its ablation
# variants, against cow and the best fixed policy, per measure:
# Ablation<Policy><Measure>Default{VsCow,VsBest}.
ablation_defaults <- function(rows) {
  measure_names <- c(instr = "Instr", cost = "Cost")
  measure_names <- stats::setNames(measure_names,
    measure_labels[names(measure_names)])
  rows <- rows %>%
    mutate(measure = as.character(measure))
  numbers_row(
    paste0("Ablation", camel_letters(rows$policy),
      measure_names[rows$measure], "Default",
      ifelse(rows$against == "cow", "VsCow", "VsBest")),
    number_ratio(rows$ratio)
  )
}

# Every ablation variant of a policy with its ratio, as one text for the
# paper, so that the text names the variants the data hold whatever they
# are ("\texttt{adaptive\_around=0}: 1.12x; ..."; a variant run later
# joins the list with no edit): per measure (Instr, Cost) and reference,
# Ablation<Policy><Measure>{VsDefault,VsCow,VsBest}List.
ablation_lists <- function(rows) {
  measure_names <- c(instr = "Instr", cost = "Cost")
  measure_names <- stats::setNames(measure_names,
    measure_labels[names(measure_names)])
  which <- ifelse(rows$against == "cow", "VsCow",
    ifelse(rows$against == "best fixed policy", "VsBest", "VsDefault"))
  rows <- rows %>%
    mutate(which = which, measure = as.character(measure)) %>%
    arrange(variant)
  out <- lapply(split(rows, list(rows$policy, rows$measure, rows$which),
    drop = TRUE), function(one) {
      numbers_row(
        paste0("Ablation", camel_letters(one$policy[1]),
          measure_names[[one$measure[1]]], one$which[1], "List"),
        paste(paste0("\\texttt{", latex_escape(one$variant), "}: ",
          number_ratio(one$ratio)), collapse = "; ")
      )
    })
  bind_rows(out)
}

# Numbers of the ablations of each policy that name no variant: how many
# variants, and the one that costs most and least against the policy's
# default (its args, and the ratio), the configurations they were
# averaged over and their workloads: Ablation<Policy>{Variants,
# WorstVariant,WorstVsDefault,BestVariant,BestVsDefault,Configs,
# Workloads}.
ablation_summary <- function(rows) {
  out <- lapply(split(rows, rows$policy), function(one) {
    stem <- paste0("Ablation", camel_letters(one$policy[1]))
    worst <- one[which.max(one$ratio), ]
    best <- one[which.min(one$ratio), ]
    bind_rows(
      numbers_row(paste0(stem, "Variants"),
        number_count(n_distinct(one$variant))),
      numbers_row(paste0(stem, "WorstVariant"), latex_escape(worst$variant)),
      numbers_row(paste0(stem, "WorstVsDefault"), number_ratio(worst$ratio)),
      numbers_row(paste0(stem, "BestVariant"), latex_escape(best$variant)),
      numbers_row(paste0(stem, "BestVsDefault"), number_ratio(best$ratio)),
      numbers_row(paste0(stem, "Configs"), number_count(max(one$configs))),
      numbers_row(paste0(stem, "Workloads"), latex_escape(one$workloads[1]))
    )
  })
  bind_rows(out)
}
