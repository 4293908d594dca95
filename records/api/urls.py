from rest_framework.routers import APIRootView, DefaultRouter

from . import views


class RecordsApiRoot(APIRootView):
    """The records API: departments, employees, their skills and credentials, and the catalogues."""

    api_app = "records"  # a token's "records" scope opens this page, like the endpoints it lists


router = DefaultRouter()
router.APIRootView = RecordsApiRoot
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("skills", views.SkillViewSet, basename="skill")
router.register("job-titles", views.JobTitleViewSet, basename="job-title")
router.register("credential-types", views.CredentialTypeViewSet, basename="credential-type")
router.register("credentials", views.CredentialViewSet, basename="credential")
router.register("employee-skills", views.EmployeeSkillViewSet, basename="employee-skill")
router.register("catalogue-proposals", views.CatalogueProposalViewSet, basename="catalogue-proposal")

app_name = "records-api"
urlpatterns = router.urls
